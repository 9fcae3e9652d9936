import { IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { silentLogger } from '../../../../src/common/field-logger';
import { SocketWatchdog } from '../../../../src/common/socket-watchdog';
import { OpenAiConnectionSettings } from '../../../../src/voice-agent/openai/openai-connection.policy';
import { OpenAiRealtimeClient } from '../../../../src/voice-agent/openai/openai-realtime.client';
import { OpenAiRealtimeProvider } from '../../../../src/voice-agent/openai/openai-realtime.provider';
import {
  ConnectionClosedReason,
  ProviderEvent,
  ResumeInfo,
  SessionConfig,
  VoiceAgentCallbacks,
} from '../../../../src/voice-agent/voice-agent.types';
import { waitFor } from '../../../support/wait-for';

type Message = Record<string, any>;

interface Peer {
  socket: WebSocket;
  headers: IncomingHttpHeaders;
  sessionId: string;
  /** Every client message, parsed, in arrival order. */
  received: Message[];
  /** The same messages as the client wrote them. */
  raw: string[];
  configured: boolean;
  responseActive: boolean;
  responses: number;
}

/**
 * A small stand-in for the GA server: session.created on connect, session.updated for each
 * session.update, response.created for each response.create; the test plays the rest. It notes
 * what a strict server would refuse, so a test can assert there was none of it.
 */
class FakeRealtimeServer {
  readonly peers: Peer[] = [];
  readonly violations: string[] = [];
  answerSessionCreated = true;
  onSessionUpdate: (peer: Peer, message: Message) => void = (peer) => {
    peer.configured = true;
    this.send(peer, { type: 'session.updated', session: { id: peer.sessionId, type: 'realtime' } });
  };
  private readonly server: WebSocketServer;

  constructor(options: { refuseUpgradeWith?: number } = {}) {
    const refused = options.refuseUpgradeWith;
    this.server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: refused === undefined ? undefined : (_info, accept) => accept(false, refused),
    });
    this.server.on('connection', (socket, request) => {
      const peer: Peer = {
        socket,
        headers: request.headers,
        sessionId: `sess_${this.peers.length + 1}`,
        received: [],
        raw: [],
        configured: false,
        responseActive: false,
        responses: 0,
      };
      this.peers.push(peer);
      socket.on('message', (data) => this.onMessage(peer, data.toString()));
      if (this.answerSessionCreated) this.send(peer, { type: 'session.created', session: { id: peer.sessionId, type: 'realtime' } });
    });
  }

  async listening(): Promise<this> {
    await new Promise<void>((resolve) => this.server.once('listening', () => resolve()));
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/realtime?model=gpt-realtime`;
  }

  send(peer: Peer, event: Message): void {
    peer.socket.send(JSON.stringify(event));
  }

  sendRaw(peer: Peer, text: string): void {
    peer.socket.send(text);
  }

  peer(index: number): Promise<Peer> {
    return waitFor(() => this.peers[index], { timeoutMs: 3_000, intervalMs: 5, what: `connection ${index + 1}` });
  }

  /** The first message of `type` at or after `from` in what the peer received. */
  nextOf(peer: Peer, type: string, from = 0): Promise<{ index: number; message: Message }> {
    return waitFor(
      () => {
        const index = peer.received.findIndex((message, position) => position >= from && message.type === type);
        return index >= 0 ? { index, message: peer.received[index] } : undefined;
      },
      { timeoutMs: 3_000, intervalMs: 5, what: `${type} from the client` },
    );
  }

  typesOf(peer: Peer, from = 0): string[] {
    return peer.received.slice(from).map((message) => message.type as string);
  }

  /** Plays a response to its end: created (if the server starts it), audio, words, function calls, done. */
  respond(
    peer: Peer,
    reply: {
      itemId?: string;
      audio?: string[];
      transcript?: string;
      calls?: Array<{ callId: string; name: string; args: string }>;
      status?: string;
    },
  ): void {
    const responseId = `resp_${++peer.responses}`;
    if (!peer.responseActive)
      this.send(peer, { type: 'response.created', response: { id: responseId, status: 'in_progress', output: [] } });
    const itemId = reply.itemId ?? `item_${responseId}`;
    for (const chunk of reply.audio ?? []) {
      this.sendRaw(
        peer,
        `{"type":"response.output_audio.delta","event_id":"event_x","response_id":"${responseId}","item_id":"${itemId}","output_index":0,"content_index":0,"delta":"${chunk}"}`,
      );
    }
    if (reply.transcript) {
      this.send(peer, {
        type: 'response.output_audio_transcript.done',
        response_id: responseId,
        item_id: itemId,
        transcript: reply.transcript,
      });
    }
    const calls = (reply.calls ?? []).map((call) => ({
      id: `fc_${call.callId}`,
      type: 'function_call',
      status: 'completed',
      call_id: call.callId,
      name: call.name,
      arguments: call.args,
    }));
    for (const item of calls) this.send(peer, { type: 'response.output_item.done', response_id: responseId, item });
    peer.responseActive = false;
    const message = reply.transcript
      ? [{ id: itemId, type: 'message', role: 'assistant', content: [{ type: 'output_audio', transcript: reply.transcript }] }]
      : [];
    this.send(peer, {
      type: 'response.done',
      response: { id: responseId, status: reply.status ?? 'completed', output: [...message, ...calls] },
    });
  }

  close(): Promise<void> {
    this.server.clients.forEach((client) => client.terminate());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onMessage(peer: Peer, text: string): void {
    peer.raw.push(text);
    const message = JSON.parse(text) as Message;
    peer.received.push(message);
    switch (message.type) {
      case 'session.update':
        if (message.session?.type !== 'realtime') this.violations.push('session.update without session.type realtime');
        this.onSessionUpdate(peer, message);
        return;
      case 'input_audio_buffer.append':
        if (!peer.configured) this.violations.push('caller audio before the session was configured');
        return;
      case 'response.create':
        if (peer.responseActive) {
          this.violations.push('response.create during an active response');
          this.send(peer, {
            type: 'error',
            error: {
              type: 'invalid_request_error',
              code: 'conversation_already_has_active_response',
              message: 'Conversation already has an active response in progress',
              event_id: message.event_id,
            },
          });
          return;
        }
        peer.responseActive = true;
        this.send(peer, { type: 'response.created', response: { id: `resp_${++peer.responses}`, status: 'in_progress', output: [] } });
        return;
    }
  }
}

/** Plays the call session's side: records what the client reports, answers what it asks. */
class SessionRecorder implements VoiceAgentCallbacks {
  readonly events: ProviderEvent[] = [];
  readonly audio: string[] = [];
  readonly resumed: Array<ResumeInfo | undefined> = [];
  readonly closed: ConnectionClosedReason[] = [];
  reconnecting = 0;
  freshSession: SessionConfig = sessionConfig({ system_prompt: 'Rebuilt prompt', greeting: "Sorry about that, I'm back." });
  afterEvent: (event: ProviderEvent) => void = () => undefined;

  onEvent(event: ProviderEvent): void {
    this.events.push(event);
    this.afterEvent(event);
  }
  onAudio(base64Audio: string): void {
    this.audio.push(base64Audio);
  }
  onResumed(info?: ResumeInfo): void {
    this.resumed.push(info);
  }
  onReconnecting(): void {
    this.reconnecting++;
  }
  onFreshSessionRequired(): SessionConfig {
    return this.freshSession;
  }
  onClosed(reason: ConnectionClosedReason): void {
    this.closed.push(reason);
  }

  event<T extends ProviderEvent['type']>(type: T): Promise<Extract<ProviderEvent, { type: T }>> {
    return waitFor(() => this.events.find((event) => event.type === type) as Extract<ProviderEvent, { type: T }> | undefined, {
      timeoutMs: 3_000,
      intervalMs: 5,
      what: `${type} at the session`,
    });
  }

  closedWith(): Promise<ConnectionClosedReason> {
    return waitFor(() => this.closed[0], { timeoutMs: 3_000, intervalMs: 5, what: 'onClosed' });
  }
}

const AUDIO = Buffer.alloc(160, 0x7f).toString('base64'); // 20 ms of mu-law
const GREETING = 'Hi, this is Avery from Acme support. How can I help?';

function sessionConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    system_prompt: 'You are the triage agent.',
    greeting: GREETING,
    tools: [{ type: 'function', name: 'lookup_order', description: 'Look up an order', parameters: { type: 'object', properties: {} } }],
    input: {
      format: { encoding: 'audio/pcmu' },
      keyterms: ['ORD'],
      turn_detection: { vad_threshold: 0.5, min_silence: 800, interrupt_response: true },
    },
    output: { voice: 'marin', format: { encoding: 'audio/pcmu' } },
    ...overrides,
  };
}

const FAST: Partial<OpenAiConnectionSettings> = { backoffMs: [0, 20], readyTimeoutMs: 1_000, recoveryDeadlineMs: 2_000 };

describe('OpenAiRealtimeClient against a fake GA server', () => {
  let server: FakeRealtimeServer;
  let session: SessionRecorder;
  let client: OpenAiRealtimeClient | undefined;

  beforeEach(async () => {
    server = await new FakeRealtimeServer().listening();
    session = new SessionRecorder();
  });

  afterEach(async () => {
    client?.end();
    client = undefined;
    await server.close();
  });

  function connect(overrides: { session?: SessionConfig; reconnect?: Partial<OpenAiConnectionSettings>; watchdog?: SocketWatchdog } = {}) {
    const provider = new OpenAiRealtimeProvider({
      url: () => server.url,
      apiKey: 'sk-test-key',
      headersFor: (opened) => ({ 'x-local-call-id': opened.callId }),
      logger: silentLogger,
      reconnect: { ...FAST, ...overrides.reconnect },
      watchdog: overrides.watchdog,
    });
    client = provider.open({ callId: 'CA123', session: overrides.session ?? sessionConfig(), callbacks: session });
    return client;
  }

  /** Connects, lets the greeting play to its end, and returns the peer. */
  async function connectedAndGreeted(reconnect: Partial<OpenAiConnectionSettings> = {}): Promise<Peer> {
    connect({ reconnect });
    const peer = await server.peer(0);
    await server.nextOf(peer, 'response.create');
    server.respond(peer, { transcript: GREETING });
    await session.event('reply.done');
    return peer;
  }

  /** A round trip through the client: whatever it sent before this marker has arrived. */
  async function drained(peer: Peer): Promise<void> {
    const marker = Buffer.from(`marker-${peer.raw.length}`).toString('base64');
    client!.sendAudio(marker);
    await waitFor(() => peer.received.some((message) => message.audio === marker), { timeoutMs: 3_000, intervalMs: 5, what: 'the marker' });
  }

  it('configures the session first, reports it ready, then greets', async () => {
    connect();
    const peer = await server.peer(0);
    const ready = await session.event('session.ready');
    const greeting = await server.nextOf(peer, 'response.create');

    expect(peer.headers.authorization).toBe('Bearer sk-test-key');
    expect(peer.headers['x-local-call-id']).toBe('CA123');
    expect(ready).toEqual({ type: 'session.ready', session_id: 'sess_1' });
    expect(client!.ready).toBe(true);
    expect(client!.sessionId).toBe('sess_1');
    expect(server.typesOf(peer)).toEqual(['session.update', 'response.create']);
    const update = peer.received[0].session;
    expect(update).toMatchObject({
      type: 'realtime',
      instructions: 'You are the triage agent.',
      output_modalities: ['audio'],
      audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' }, voice: 'marin' } },
      tool_choice: 'auto',
    });
    expect(greeting.message.response).toEqual({ instructions: `Say exactly: "${GREETING}"` });
    expect(server.violations).toEqual([]);
  });

  it('sends no greeting when the session has none', async () => {
    connect({ session: sessionConfig({ greeting: undefined }) });
    const peer = await server.peer(0);
    await session.event('session.ready');
    await drained(peer);
    expect(server.typesOf(peer)).toEqual(['session.update', 'input_audio_buffer.append']);
  });

  it('relays audio both ways untouched, and none of the caller’s before the session is ready', async () => {
    server.answerSessionCreated = false;
    connect();
    const peer = await server.peer(0);
    client!.sendAudio(AUDIO);
    expect(client!.counters.audioDroppedNotReady).toBe(1);
    server.send(peer, { type: 'session.created', session: { id: peer.sessionId } });
    await session.event('session.ready');

    client!.sendAudio(AUDIO);
    await server.nextOf(peer, 'input_audio_buffer.append');
    expect(peer.raw.find((text) => text.includes('input_audio_buffer.append'))).toBe(
      `{"type":"input_audio_buffer.append","audio":"${AUDIO}"}`,
    );

    server.respond(peer, { audio: [AUDIO, AUDIO] });
    await session.event('reply.done');
    expect(session.audio).toEqual([AUDIO, AUDIO]);
    expect(server.violations).toEqual([]);
  });

  it('answers a tool call with its output, then exactly one response.create', async () => {
    const peer = await connectedAndGreeted();
    session.afterEvent = (event) => {
      // Like the ledger: the result waits for reply.done, and the tool settles a moment later.
      if (event.type === 'reply.done' && event.status === undefined)
        setTimeout(() => client!.sendToolResult('call_1', '{"status":"shipped"}'), 20);
    };
    const before = peer.received.length;
    server.respond(peer, {
      transcript: 'Let me check.',
      calls: [{ callId: 'call_1', name: 'lookup_order', args: '{"order_id":"ORD-1"}' }],
    });

    const call = await session.event('tool.call');
    expect(call).toEqual({ type: 'tool.call', call_id: 'call_1', name: 'lookup_order', arguments: { order_id: 'ORD-1' } });
    const output = await server.nextOf(peer, 'conversation.item.create', before);
    const reply = await server.nextOf(peer, 'response.create', before);
    await drained(peer);

    expect(output.message.item).toEqual({ type: 'function_call_output', call_id: 'call_1', output: '{"status":"shipped"}' });
    expect(reply.index).toBeGreaterThan(output.index);
    expect(server.typesOf(peer, before).filter((type) => type === 'response.create')).toHaveLength(1);
    expect(server.violations).toEqual([]);
  });

  it('applies a handoff as session.update (no audio, no voice), then the transfer output, then one response.create', async () => {
    const peer = await connectedAndGreeted();
    session.afterEvent = (event) => {
      if (event.type !== 'reply.done' || event.status !== undefined) return;
      client!.updateSession({
        system_prompt: 'You are the billing agent.',
        tools: [],
        input: { keyterms: ['invoice'] },
        output: { voice: 'ash' },
      });
      client!.sendToolResult('call_transfer', '{"status":"transferred","department":"billing"}');
    };
    const before = peer.received.length;
    server.respond(peer, { calls: [{ callId: 'call_transfer', name: 'transfer_to_billing', args: '{"reason":"invoice"}' }] });

    await server.nextOf(peer, 'response.create', before);
    await drained(peer);
    const sent = peer.received.slice(before).filter((message) => message.type !== 'input_audio_buffer.append');
    expect(sent.map((message) => message.type)).toEqual(['session.update', 'conversation.item.create', 'response.create']);
    expect(sent[0].session).toEqual({ type: 'realtime', instructions: 'You are the billing agent.', tools: [] });
    expect(sent[1].item).toMatchObject({ type: 'function_call_output', call_id: 'call_transfer' });
    expect(sent[2].response).toBeUndefined();
    expect(server.violations).toEqual([]);
  });

  it('cuts the playing item to what the caller heard on barge-in, and plays nothing more of it', async () => {
    const peer = await connectedAndGreeted();
    const before = peer.received.length;
    peer.responseActive = true;
    server.send(peer, { type: 'response.created', response: { id: 'resp_long', status: 'in_progress' } });
    for (let chunk = 0; chunk < 5; chunk++) {
      server.sendRaw(peer, `{"type":"response.output_audio.delta","response_id":"resp_long","item_id":"item_long","delta":"${AUDIO}"}`);
    }
    await waitFor(() => session.audio.length === 5, { timeoutMs: 3_000, intervalMs: 5, what: 'five chunks at the session' });

    server.send(peer, { type: 'input_audio_buffer.speech_started', item_id: 'item_caller', audio_start_ms: 900 });
    await session.event('input.speech.started');
    // Still on its way when the server cancelled the reply: not for the caller's ears.
    server.sendRaw(peer, `{"type":"response.output_audio.delta","response_id":"resp_long","item_id":"item_long","delta":"${AUDIO}"}`);
    server.respond(peer, { status: 'cancelled' });
    const done = await waitFor(() => session.events.filter((event) => event.type === 'reply.done')[1], { timeoutMs: 3_000, intervalMs: 5 });
    expect(done).toEqual({ type: 'reply.done', status: 'interrupted' });

    client!.replyInterrupted(35);
    client!.replyInterrupted(80);
    const truncate = await server.nextOf(peer, 'conversation.item.truncate', before);
    await drained(peer);

    expect(truncate.message).toEqual({ type: 'conversation.item.truncate', item_id: 'item_long', content_index: 0, audio_end_ms: 35 });
    expect(server.typesOf(peer, before).filter((type) => type === 'conversation.item.truncate')).toHaveLength(1);
    expect(session.audio).toHaveLength(5);
    expect(client!.counters.replyAudioDropped).toBe(1);
    expect(server.typesOf(peer, before)).not.toContain('response.create');
  });

  it('never cuts past what was relayed', async () => {
    const peer = await connectedAndGreeted();
    const before = peer.received.length;
    server.respond(peer, { itemId: 'item_short', audio: [AUDIO, AUDIO] });
    await waitFor(() => session.audio.length === 2, { timeoutMs: 3_000, intervalMs: 5 });
    client!.replyInterrupted(5_000);
    const truncate = await server.nextOf(peer, 'conversation.item.truncate', before);
    expect(truncate.message).toMatchObject({ item_id: 'item_short', audio_end_ms: 40 });
  });

  it('answers a dropped socket with a new session: its update, its history, its greeting, then onResumed', async () => {
    const first = await connectedAndGreeted();
    session.freshSession = {
      ...sessionConfig({ system_prompt: 'Rebuilt prompt with the conversation so far', greeting: "Sorry about that, I'm back." }),
      history: [
        { role: 'caller', text: 'My order ORD-1 is late.' },
        { role: 'agent', text: 'Let me check that for you.' },
      ],
    };
    server.answerSessionCreated = false;
    first.socket.terminate();
    await waitFor(() => session.reconnecting === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'onReconnecting' });
    expect(client!.ready).toBe(false);
    client!.sendAudio(AUDIO);
    client!.sendToolResult('call_old', '{}');

    const second = await server.peer(1);
    server.send(second, { type: 'session.created', session: { id: second.sessionId } });
    await waitFor(() => session.resumed.length === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'onResumed' });
    await server.nextOf(second, 'response.create');
    await drained(second);

    expect(session.resumed).toEqual([{ fresh: true, sessionId: 'sess_2' }]);
    expect(session.events.filter((event) => event.type === 'session.ready')).toHaveLength(1);
    expect(second.received[0]).toMatchObject({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'Rebuilt prompt with the conversation so far',
        audio: { output: { format: { type: 'audio/pcmu' } } },
      },
    });
    expect(server.typesOf(second).slice(0, 5)).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
      'response.create',
      'input_audio_buffer.append',
    ]);
    expect(second.received[1].item).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'My order ORD-1 is late.' }],
    });
    expect(second.received[2].item).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Let me check that for you.' }],
    });
    expect(second.received[3].response).toEqual({ instructions: `Say exactly: "Sorry about that, I'm back."` });
    expect(second.received[4].audio).toBe(AUDIO);
    expect(client!.counters).toMatchObject({ reconnects: 1, freshSessions: 1, audioFlushedAfterReconnect: 1, toolResultsDropped: 1 });
    expect(client!.sessionId).toBe('sess_2');
    expect(server.violations).toEqual([]);
  });

  it('starts a new session when the server says the session expired', async () => {
    const first = await connectedAndGreeted();
    server.send(first, {
      type: 'error',
      error: { type: 'invalid_request_error', code: 'session_expired', message: 'Your session hit the maximum duration.' },
    });
    await waitFor(() => session.resumed.length === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'onResumed' });
    expect(session.resumed[0]).toEqual({ fresh: true, sessionId: 'sess_2' });
    expect((await server.peer(1)).received[0].session.instructions).toBe('Rebuilt prompt');
    expect(session.closed).toEqual([]);
  });

  it('gives up on a new session after the recovery deadline', async () => {
    const first = await connectedAndGreeted({ recoveryDeadlineMs: 300 });
    server.answerSessionCreated = false;
    first.socket.terminate();
    expect(await session.closedWith()).toEqual({ kind: 'lost', message: 'no new session within 300 ms' });
    expect(session.resumed).toEqual([]);
  });

  it('closes with fatal-error on a fatal error code', async () => {
    const peer = await connectedAndGreeted();
    server.send(peer, {
      type: 'error',
      error: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided' },
    });
    expect(await session.closedWith()).toEqual({ kind: 'fatal-error', code: 'invalid_api_key', message: 'Incorrect API key provided' });
    expect(session.events.at(-1)).toEqual({ type: 'session.error', code: 'invalid_api_key', message: 'Incorrect API key provided' });
    expect(client!.ready).toBe(false);
  });

  it('closes with fatal-error when the first session.update is refused', async () => {
    server.onSessionUpdate = (peer) =>
      server.send(peer, {
        type: 'error',
        error: { type: 'invalid_request_error', code: 'invalid_value', message: 'Invalid voice', param: 'session.audio.output.voice' },
      });
    connect();
    expect(await session.closedWith()).toEqual({ kind: 'fatal-error', code: 'invalid_value', message: 'Invalid voice' });
    expect(session.events.find((event) => event.type === 'session.ready')).toBeUndefined();
  });

  it('passes other errors on and stays open', async () => {
    const peer = await connectedAndGreeted();
    server.send(peer, {
      type: 'error',
      error: { type: 'invalid_request_error', code: 'invalid_value', message: 'audio_end_ms too large' },
    });
    expect(await session.event('session.error')).toEqual({
      type: 'session.error',
      code: 'invalid_value',
      message: 'audio_end_ms too large',
    });
    expect(client!.ready).toBe(true);
    expect(client!.counters.sessionErrors).toBe(1);
  });

  it('takes a refused response.create quietly and asks again only when the running response is done', async () => {
    const peer = await connectedAndGreeted();
    // The server starts a response on its own; our response.create crosses its response.created on the wire.
    server.send(peer, { type: 'response.created', response: { id: 'resp_vad', status: 'in_progress' } });
    peer.responseActive = true;
    client!.createReply('Tell the caller we are still checking.');
    await waitFor(() => client!.counters.responseCreatesRefused === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'the refusal' });
    expect(server.violations).toEqual(['response.create during an active response']);
    expect(session.events.filter((event) => event.type === 'session.error')).toEqual([]);

    const before = peer.received.length;
    client!.createReply('Again, please.');
    await drained(peer);
    expect(server.typesOf(peer, before)).not.toContain('response.create');

    server.respond(peer, {});
    const again = await server.nextOf(peer, 'response.create', before);
    expect(again.message.response).toEqual({ instructions: 'Again, please.' });
    expect(server.violations).toHaveLength(1);
  });

  it('keeps at most the configured caller audio while a new session is built, dropping the oldest', async () => {
    const first = await connectedAndGreeted({ audioBufferFrames: 2 });
    server.answerSessionCreated = false;
    first.socket.terminate();
    await waitFor(() => session.reconnecting === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'onReconnecting' });
    for (const chunk of ['AAAA', 'BBBB', 'CCCC']) client!.sendAudio(chunk);
    const second = await server.peer(1);
    server.send(second, { type: 'session.created', session: { id: second.sessionId } });
    await waitFor(() => session.resumed.length === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'onResumed' });
    await drained(second);
    expect(
      second.received
        .filter((message) => message.type === 'input_audio_buffer.append')
        .map((message) => message.audio)
        .slice(0, 2),
    ).toEqual(['BBBB', 'CCCC']);
    expect(client!.counters).toMatchObject({ audioDroppedBufferFull: 1, audioFlushedAfterReconnect: 2 });
  });

  it('reports unknown and malformed frames without breaking', async () => {
    const peer = await connectedAndGreeted();
    server.sendRaw(peer, 'not json');
    server.send(peer, { type: 'response.brand_new' });
    server.send(peer, { type: 'rate_limits.updated', rate_limits: [] });
    server.send(peer, { type: 'input_audio_buffer.speech_stopped' });
    await session.event('input.speech.stopped');
    expect(client!.counters).toMatchObject({ malformedFrames: 1, unknownEvents: 1 });
    expect(client!.ready).toBe(true);
  });

  it('survives callbacks that throw', async () => {
    session.onAudio = () => {
      throw new Error('leg gone');
    };
    const peer = await connectedAndGreeted();
    server.respond(peer, { audio: [AUDIO], transcript: 'still here' });
    await waitFor(() => session.events.filter((event) => event.type === 'reply.done').length === 2, { timeoutMs: 3_000, intervalMs: 5 });
    expect(client!.ready).toBe(true);
  });

  it('closes once on end(), and drops what comes after', async () => {
    const peer = await connectedAndGreeted();
    client!.end();
    client!.end();
    await waitFor(() => peer.socket.readyState === WebSocket.CLOSED, { timeoutMs: 3_000, intervalMs: 5, what: 'the socket closed' });
    client!.sendAudio(AUDIO);
    client!.updateSession({ system_prompt: 'late' });
    expect(session.closed).toEqual([{ kind: 'ended' }]);
    expect(client!.counters).toMatchObject({ audioDroppedNotReady: 1, messagesDropped: 1 });
  });

  it('pings through the shared watchdog and rebuilds a session that went silent', async () => {
    const watchdog = new SocketWatchdog(40);
    connect({ watchdog });
    const first = await server.peer(0);
    await session.event('session.ready');
    await new Promise<void>((resolve) => first.socket.once('ping', () => resolve()));

    // Stop reading: no more frames or pongs from this server socket.
    (first.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(() => session.resumed.length === 1, { timeoutMs: 3_000, intervalMs: 5, what: 'a new session' });
    expect(client!.counters.silentSockets).toBe(1);
    expect(watchdog.size).toBe(1);
    client!.end();
    expect(watchdog.size).toBe(0);
  });
});

describe('OpenAiRealtimeClient upgrade refused', () => {
  it('closes with fatal-error when the key is refused at the upgrade', async () => {
    const server = await new FakeRealtimeServer({ refuseUpgradeWith: 401 }).listening();
    const session = new SessionRecorder();
    try {
      new OpenAiRealtimeProvider({ url: server.url, apiKey: 'sk-wrong', logger: silentLogger, reconnect: FAST }).open({
        callId: 'CA1',
        session: sessionConfig(),
        callbacks: session,
      });
      expect(await session.closedWith()).toEqual({
        kind: 'fatal-error',
        code: 'invalid_api_key',
        message: 'provider refused the upgrade (HTTP 401)',
      });
    } finally {
      await server.close();
    }
  });
});

describe('OpenAiRealtimeProvider', () => {
  it('names itself and its voices', () => {
    const provider = new OpenAiRealtimeProvider({ url: 'wss://example.invalid', logger: silentLogger });
    expect(provider.name).toBe('openai');
    expect(provider.capabilities).toEqual({
      voices: ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'],
      defaultVoice: 'marin',
      voiceChangeMidSession: false,
    });
  });
});
