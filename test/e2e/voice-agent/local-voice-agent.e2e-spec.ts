import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SocketWatchdog } from '../../../src/common/socket-watchdog';
import { AssemblyAiVoiceAgentClient } from '../../../src/voice-agent/assemblyai/assemblyai-voice-agent.client';
import { AssemblyAiVoiceAgentProvider } from '../../../src/voice-agent/assemblyai/assemblyai-voice-agent.provider';
import { LocalProviderControlClient } from '../../../src/voice-agent/local/local-provider-control.client';
import { ObservedEvent, SessionLifecycleEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import { LocalVoiceAgentProvider } from '../../../src/voice-agent/local/local-voice-agent.provider';
import { LocalVoiceAgentServer } from '../../../src/voice-agent/local/local-voice-agent.server';
import { silentLogger } from '../../../src/common/field-logger';
import { SessionConfig } from '../../../src/voice-agent/voice-agent.types';
import { waitFor } from '../../support/wait-for';
import { RawProviderSocket } from './raw-provider-socket';
import { BILLING_TOOLS, CALLER_FRAME, sessionConfig, VoiceAgentRecorder } from './voice-agent-recorder';

const FAST_RECONNECT = { backoffMs: [0, 50, 100], readyTimeoutMs: 2_000, endTimeoutMs: 1_000 };
const BILLING_PROMPT = 'You are Bailey, the billing specialist at Acme.\nHelp with charges, invoices and balances.';

interface OpenCall {
  callId: string;
  recorder: VoiceAgentRecorder;
  connection: AssemblyAiVoiceAgentClient;
}

describe('local voice agent provider over real sockets', () => {
  let server: LocalVoiceAgentServer;
  let port: number;
  let control: LocalProviderControlClient;
  let provider: LocalVoiceAgentProvider;
  let calls: OpenCall[] = [];
  let callSequence = 0;

  beforeAll(async () => {
    // 1 frame per word keeps replies short; the ready delay makes "before ready" observable.
    server = new LocalVoiceAgentServer({ msPerWord: 20, readyDelayMs: 30 });
    port = await server.listen(0);
    control = await LocalProviderControlClient.connect(`ws://127.0.0.1:${port}/local-provider/control`);
    await control.subscribe('*');
    provider = new LocalVoiceAgentProvider({
      url: `ws://127.0.0.1:${port}/local-provider/v1/ws`,
      logger: silentLogger,
      reconnect: FAST_RECONNECT,
    });
  });

  afterEach(async () => {
    for (const call of calls) call.connection.end();
    await Promise.all(calls.map((call) => call.recorder.closedWith()));
    calls = [];
  });

  afterAll(async () => {
    await control.close();
    await server.close();
  });

  function openCall(session: SessionConfig = sessionConfig(), fresh: () => SessionConfig = () => session): OpenCall {
    const callId = `CA-e2e-${++callSequence}`;
    const recorder = new VoiceAgentRecorder(fresh);
    const connection = provider.open({ callId, session, callbacks: recorder });
    const call = { callId, recorder, connection };
    calls.push(call);
    return call;
  }

  // Opened, ready and done greeting, so the next reply is the one under test.
  async function readyCall(session?: SessionConfig, fresh?: () => SessionConfig): Promise<OpenCall> {
    const call = openCall(session, fresh);
    await call.recorder.event('session.ready');
    if ((session ?? sessionConfig()).greeting) await call.recorder.event('reply.done');
    return call;
  }

  // Messages on one socket arrive in order: once the provider answered this update, every
  // audio frame sent before it has been counted.
  async function audioBarrier(call: OpenCall): Promise<void> {
    const since = control.mark();
    call.connection.updateSession({ input: { keyterms: [`barrier-${since}`] } });
    await control.waitForObserved(call.callId, 'provider-to-client', 'session.updated', { since });
  }

  it('sends session.update first and relays no audio before session.ready', async () => {
    const since = control.mark();
    const { callId, recorder, connection } = openCall();
    for (let frame = 0; frame < 3; frame++) connection.sendAudio(CALLER_FRAME);
    expect(connection.ready).toBe(false);
    expect(connection.counters.audioDroppedNotReady).toBe(3);

    const ready = await recorder.event('session.ready');
    expect(connection.sessionId).toBe(ready.session_id);
    expect(connection.ready).toBe(true);
    const fromClient = control.observed(callId, since).filter((event) => event.direction === 'client-to-provider');
    expect(fromClient[0].message).toMatchObject({
      type: 'session.update',
      session: { output: { voice: 'ivy', format: { encoding: 'audio/pcmu' } } },
    });

    // The greeting is the first reply.
    const greeting = await recorder.event('transcript.agent');
    expect(greeting.text).toBe('Hi, this is Avery from Acme support. How can I help?');
    await recorder.event('reply.done');
    expect(recorder.audioFrames).toBeGreaterThanOrEqual(10);
    expect(recorder.events.map((event) => event.type)).toEqual(['session.ready', 'reply.started', 'transcript.agent', 'reply.done']);

    for (let frame = 0; frame < 5; frame++) connection.sendAudio(CALLER_FRAME);
    await audioBarrier({ callId, recorder, connection });
    const stats = await control.stats(callId);
    expect(stats).toMatchObject({ sessionId: ready.session_id, inputAudioFrames: 5, tools: expect.arrayContaining(['lookup_order']) });
    expect(stats.lastInputAudioAt).toEqual(expect.any(Number));
    expect(recorder.events.some((event) => event.type === 'session.error')).toBe(false);
  });

  it('round-trips a tool call with arguments as an object and as a JSON string', async () => {
    const call = await readyCall();
    const { callId, recorder, connection } = call;

    let since = recorder.mark();
    let controlSince = control.mark();
    await control.say(callId, 'Where is my order ORD-12345?');
    const lookup = await recorder.event('tool.call', { since });
    expect(lookup).toEqual({ type: 'tool.call', call_id: expect.any(String), name: 'lookup_order', arguments: { order_id: 'ORD-12345' } });
    const wire = await control.waitForObserved(callId, 'provider-to-client', 'tool.call', { since: controlSince });
    expect(wire.arguments).toEqual({ order_id: 'ORD-12345' });

    // Results go at the reply.done that closes the transition phrase (PROTOCOL.md).
    await recorder.event('reply.done', { since });
    connection.sendToolResult(
      lookup.call_id,
      JSON.stringify({ order_id: 'ORD-12345', status: 'shipped', eta: '2026-05-09', tracking_number: '1Z999AA10123456784' }),
    );
    const answer = await recorder.event('transcript.agent', { since, where: (event) => event.text.startsWith('Order') });
    expect(answer.text).toBe(
      'Order ORD-12345 is shipped, arriving 2026-05-09, tracking 1Z999AA10123456784. Is there anything else I can help with?',
    );
    const resultOnWire = await control.waitForObserved(callId, 'client-to-provider', 'tool.result', { since: controlSince });
    expect(resultOnWire.result).toEqual(expect.any(String));

    // The same call, with the model sending arguments as a JSON string.
    since = recorder.mark();
    controlSince = control.mark();
    await control.configure({ toolArgumentsAsString: true });
    try {
      await control.say(callId, 'And where is ORD-67890?');
      const second = await recorder.event('tool.call', { since });
      expect(second.arguments).toEqual({ order_id: 'ORD-67890' });
      const secondWire = await control.waitForObserved(callId, 'provider-to-client', 'tool.call', { since: controlSince });
      expect(secondWire.arguments).toBe('{"order_id":"ORD-67890"}');
    } finally {
      await control.configure({ toolArgumentsAsString: false });
    }

    // A misbehaving model: a tool not listed, with unparsable arguments.
    since = recorder.mark();
    await control.forceToolCall(callId, 'delete_everything', {}, { rawArguments: '{order_id: ORD' });
    const forced = await recorder.event('tool.call', { since, where: (event) => event.name === 'delete_everything' });
    expect(forced.arguments).toEqual({});
    expect(forced.invalidArguments).toEqual({ raw: '{order_id: ORD' });

    // A result for a call the provider never issued.
    since = recorder.mark();
    connection.sendToolResult('call_never_issued', JSON.stringify({ ok: true }));
    const error = await recorder.event('session.error', { since });
    expect(error).toMatchObject({ code: 'invalid_value', param: 'call_id' });
    expect(connection.ready).toBe(true);
    expect(recorder.closed).toBeUndefined();
  });

  it('stops a reply when the caller speaks over it', async () => {
    const greeting = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    const { callId, recorder } = openCall(sessionConfig({ greeting }));
    await recorder.event('reply.started');
    await recorder.until(() => recorder.audioFrames >= 3, 'some greeting audio');

    const since = recorder.mark();
    await control.say(callId, 'Sorry, where is ORD-12345?');
    await recorder.event('tool.call', { since });
    const types = recorder.since(since).map((event) => event.type);
    expect(types.slice(0, 8)).toEqual([
      'input.speech.started',
      'transcript.agent',
      'reply.done',
      'transcript.user.delta',
      'transcript.user',
      'input.speech.stopped',
      'reply.started',
      'tool.call',
    ]);
    const trimmed = recorder.since(since)[1];
    expect(trimmed).toMatchObject({ type: 'transcript.agent', interrupted: true });
    const spoken = (trimmed as { text: string }).text;
    expect(spoken.length).toBeLessThan(greeting.length);
    expect(greeting.startsWith(spoken)).toBe(true);
    expect(recorder.since(since)[2]).toEqual({ type: 'reply.done', status: 'interrupted' });
    expect(recorder.events.some((event) => event.type === 'transcript.agent' && event.text === greeting)).toBe(false);
  });

  it('refuses a voice change mid-session and keeps going, then applies a prompt and tools swap', async () => {
    const { callId, recorder, connection } = await readyCall();
    const since = recorder.mark();
    connection.updateSession({ output: { voice: 'james' } });
    expect(await recorder.event('session.error', { since })).toMatchObject({ code: 'immutable_field', param: 'output.voice' });
    expect(connection.ready).toBe(true);

    connection.updateSession({ system_prompt: `${BILLING_PROMPT}\nVerified account: ACC-001 (Jane Doe)`, tools: BILLING_TOOLS });
    await recorder.event('session.updated', { since });
    expect(await control.stats(callId)).toMatchObject({
      voice: 'ivy',
      tools: BILLING_TOOLS.map((entry) => entry.name),
      systemPrompt: expect.stringContaining('Bailey'),
    });

    await control.say(callId, 'What is my balance?');
    const check = await recorder.event('tool.call', { since });
    expect(check).toMatchObject({ name: 'check_billing', arguments: { account_id: 'ACC-001' } });
    const said = await recorder.event('transcript.agent', { since });
    expect(said.text).toBe('Hi, this is Bailey, the billing specialist at Acme. Let me check that for you.');
  });

  it('hands off from triage to billing inside the session without asking again', async () => {
    const { callId, recorder, connection } = await readyCall();
    const since = recorder.mark();
    await control.say(callId, "I'm jane@example.com, zip code 94107, and I have a question about a charge");
    await recorder.event('reply.done', { since });
    const calls = recorder.since(since).filter((event) => event.type === 'tool.call');
    expect(calls.map((event) => event.type === 'tool.call' && event.name)).toEqual(['lookup_account_by_email', 'transfer_to_billing']);
    const [lookup, transfer] = calls as Extract<(typeof calls)[number], { type: 'tool.call' }>[];
    expect(lookup.arguments).toEqual({ email: 'jane@example.com', postcode: '94107' });
    expect(transfer.arguments).toEqual({
      reason: 'caller asked about a charge',
      summary: 'Caller (jane@example.com) asked about a charge on their bill',
    });

    connection.sendToolResult(lookup.call_id, JSON.stringify({ account: { id: 'ACC-001', name: 'Jane Doe' } }));
    connection.updateSession({ system_prompt: `${BILLING_PROMPT}\nVerified account: ACC-001 (Jane Doe)`, tools: BILLING_TOOLS });
    connection.sendToolResult(transfer.call_id, JSON.stringify({ ok: true, department: 'billing' }));

    const next = await recorder.event('tool.call', { since, where: (event) => event.name === 'check_billing' });
    expect(next.arguments).toEqual({ account_id: 'ACC-001' });
    const intro = await recorder.event('transcript.agent', { since, where: (event) => event.text.startsWith('Hi, this is Bailey') });
    expect(intro.text).toBe(
      "Hi, this is Bailey, the billing specialist at Acme. Thanks Jane, I've verified your account ACC-001. Let me check that for you.",
    );
  });

  it('resumes a dropped socket with the same session, buffering at most 1 s of caller audio', async () => {
    const call = await readyCall();
    const { callId, recorder, connection } = call;
    const sessionId = connection.sessionId;
    const since = control.mark();
    recorder.whileReconnecting = () => {
      expect(connection.ready).toBe(false);
      for (let frame = 0; frame < 60; frame++) connection.sendAudio(CALLER_FRAME);
    };

    await control.dropSocket(callId);
    expect(await recorder.nextResumed()).toEqual({ fresh: false, sessionId });
    expect(connection.sessionId).toBe(sessionId);
    expect(recorder.freshRequests).toBe(0);
    expect(connection.counters).toMatchObject({ reconnects: 1, resumes: 1, audioDroppedBufferFull: 10, audioFlushedAfterReconnect: 50 });

    const resumeMessages = control.observed(callId, since).filter((event) => event.direction === 'client-to-provider');
    expect(resumeMessages[0].message).toEqual({ type: 'session.resume', session_id: sessionId });
    expect(control.lifecycle(callId, since).map((event) => event.type)).toEqual(['session-dropped', 'session-resumed']);

    await audioBarrier(call);
    expect((await control.stats(callId)).inputAudioFrames).toBe(50);
    for (let frame = 0; frame < 5; frame++) connection.sendAudio(CALLER_FRAME);
    await audioBarrier(call);
    expect((await control.stats(callId)).inputAudioFrames).toBe(55);

    // The context survived: the conversation goes on in the same session.
    const mark = recorder.mark();
    await control.say(callId, 'Where is ORD-12345?');
    expect(await recorder.event('tool.call', { since: mark })).toMatchObject({ name: 'lookup_order' });
  });

  it('starts a fresh session from onFreshSessionRequired when the resume is refused', async () => {
    const fresh = sessionConfig({
      system_prompt: 'You are Avery, the front desk agent at Acme support.\nVerified account: ACC-001 (Jane Doe)',
      greeting: undefined,
    });
    const call = await readyCall(sessionConfig(), () => fresh);
    const { callId, recorder, connection } = call;
    const oldSessionId = connection.sessionId;
    const since = control.mark();

    await control.dropSocket(callId, { refuseResume: true });
    const resumed = await recorder.nextResumed();
    expect(resumed.fresh).toBe(true);
    expect(resumed.sessionId).not.toBe(oldSessionId);
    expect(connection.sessionId).toBe(resumed.sessionId);
    expect(recorder.freshRequests).toBe(1);
    expect(connection.counters.freshSessions).toBe(1);

    const fromClient = control
      .observed(callId, since)
      .filter((event) => event.direction === 'client-to-provider')
      .map((event) => event.message.type);
    expect(fromClient.slice(0, 2)).toEqual(['session.resume', 'session.update']);
    const lifecycle = control.lifecycle(callId, since);
    expect(lifecycle).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'session-closed', sessionId: oldSessionId, reason: 'resume refused' }),
        expect.objectContaining({ type: 'session-opened', sessionId: resumed.sessionId }),
      ]),
    );
    // session.ready of a fresh session is signalled through onResumed only.
    expect(recorder.events.filter((event) => event.type === 'session.ready')).toHaveLength(1);

    for (let frame = 0; frame < 3; frame++) connection.sendAudio(CALLER_FRAME);
    await audioBarrier(call);
    expect(await control.stats(callId)).toMatchObject({ sessionId: resumed.sessionId, inputAudioFrames: 3 });

    // The fresh session knows what the rebuilt prompt told it.
    const mark = recorder.mark();
    await control.say(callId, 'Why was I charged twice?');
    expect(await recorder.event('tool.call', { since: mark })).toMatchObject({
      name: 'transfer_to_billing',
      arguments: { reason: 'caller asked about a charge', summary: 'Jane (ACC-001) asked about a charge on their bill' },
    });
  });

  it('starts each reply the paced delay after the caller stops, in a fresh session after a refused resume too', async () => {
    const PACE_MS = 400;
    const call = await readyCall(sessionConfig(), () => sessionConfig({ greeting: undefined }));
    const { callId, recorder } = call;
    await control.pace(callId, PACE_MS);
    const delayOfReply = async (): Promise<number> => {
      const since = control.mark();
      const mark = recorder.mark();
      await control.say(callId, 'Thank you');
      const [stopped, started] = await Promise.all(
        ['input.speech.stopped', 'reply.started'].map((type) =>
          control.waitFor<ObservedEvent>(
            (event) => event.type === 'observed' && event.callId === callId && event.message.type === type,
            5_000,
            since,
          ),
        ),
      );
      await recorder.event('reply.done', { since: mark });
      return started.at - stopped.at;
    };

    const inSession = await delayOfReply();
    await control.dropSocket(callId, { refuseResume: true });
    expect((await recorder.nextResumed()).fresh).toBe(true);
    const inFreshSession = await delayOfReply();
    for (const delay of [inSession, inFreshSession]) {
      expect(delay).toBeGreaterThanOrEqual(PACE_MS - 5);
      expect(delay).toBeLessThan(PACE_MS + 2_000);
    }
    await control.pace(callId, 0);
    // Without a delay the reply starts in the same turn as input.speech.stopped.
    expect(await delayOfReply()).toBeLessThan(PACE_MS / 2);
  });

  it('ends cleanly with session.end -> session.ended and does not reconnect', async () => {
    const { callId, recorder, connection } = await readyCall();
    const since = control.mark();
    connection.end();
    connection.end();
    const ended = await recorder.event('session.ended');
    expect(ended.session_duration_seconds).toEqual(expect.any(Number));
    expect(await recorder.closedWith()).toEqual({ kind: 'ended' });
    expect(connection.ready).toBe(false);

    await control.waitFor<SessionLifecycleEvent>((event) => event.type === 'session-closed' && event.callId === callId, 3_000, since);
    const ends = control.observed(callId, since).filter((event: ObservedEvent) => event.message.type === 'session.end');
    expect(ends).toHaveLength(1);
    expect(recorder.reconnecting).toBe(0);
    await expect(control.stats(callId)).rejects.toThrow(/no session/);

    connection.sendAudio(CALLER_FRAME);
    connection.sendToolResult('call_x', '{}');
    expect(connection.counters.messagesDropped).toBe(1);
  });

  describe('protocol rules on a bare socket', () => {
    const url = () => `ws://127.0.0.1:${port}/local-provider/v1/ws`;
    let raw: RawProviderSocket | undefined;
    afterEach(() => raw?.close());

    it('answers input.audio before session.ready with invalid_audio and keeps the socket', async () => {
      raw = await RawProviderSocket.open(url(), {}, { timeoutMs: 3_000 });
      raw.send({ type: 'input.audio', audio: CALLER_FRAME });
      expect(await raw.next('session.error')).toMatchObject({ code: 'invalid_audio' });
      raw.send({ type: 'session.update', session: sessionConfig({ greeting: undefined }) });
      expect(await raw.next('session.ready')).toEqual({ type: 'session.ready', session_id: expect.any(String) });
      expect(raw.closeCode).toBeUndefined();
    });

    it('closes with invalid_config when the first message is not session.update', async () => {
      raw = await RawProviderSocket.open(url(), {}, { timeoutMs: 3_000 });
      raw.send({ type: 'reply.create' });
      expect(await raw.next('session.error')).toMatchObject({ code: 'invalid_config' });
      expect(await raw.closedCode()).toBe(1008);
    });

    it('rejects tools without type "function" and unknown voices', async () => {
      raw = await RawProviderSocket.open(url(), {}, { timeoutMs: 3_000 });
      raw.send({
        type: 'session.update',
        session: { system_prompt: 'x', tools: [{ name: 'lookup_order', description: '', parameters: {} }] },
      });
      expect(await raw.next('session.error')).toMatchObject({ code: 'invalid_config', param: 'tools[0].type' });
      raw.close();

      raw = await RawProviderSocket.open(url(), {}, { timeoutMs: 3_000 });
      raw.send({ type: 'session.update', session: { system_prompt: 'x', output: { voice: 'Ivy' } } });
      expect(await raw.next('session.error')).toMatchObject({ code: 'invalid_value', param: 'output.voice' });
    });

    it('answers a resume of an unknown session with session_not_found', async () => {
      raw = await RawProviderSocket.open(url(), {}, { timeoutMs: 3_000 });
      raw.send({ type: 'session.resume', session_id: 'sess_nope' });
      expect(await raw.next('session.error')).toMatchObject({ code: 'session_not_found' });
    });

    it('refuses tool.result whose result is not a JSON string', async () => {
      raw = await RawProviderSocket.open(url(), { 'x-local-call-id': 'CA-raw-result' }, { timeoutMs: 3_000 });
      raw.send({ type: 'session.update', session: sessionConfig({ greeting: undefined }) });
      await raw.next('session.ready');
      raw.send({ type: 'tool.result', call_id: 'call_1', result: { ok: true } });
      expect(await raw.next('session.error')).toMatchObject({ code: 'invalid_value', param: 'result' });
    });
  });
});

describe('assemblyai client failure paths', () => {
  const servers: { close(): Promise<void> | void }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((entry) => entry.close()));
  });

  it('sends the Bearer key and treats UNAUTHORIZED as fatal', async () => {
    const server = new LocalVoiceAgentServer({ apiKey: 'secret-key-123', msPerWord: 20 });
    servers.push(server);
    const port = await server.listen(0);
    const url = `ws://127.0.0.1:${port}/local-provider/v1/ws`;

    const wrong = new VoiceAgentRecorder(() => sessionConfig());
    new AssemblyAiVoiceAgentProvider({ url, apiKey: 'wrong-key-000', logger: silentLogger, reconnect: FAST_RECONNECT }).open({
      callId: 'CA-wrong-key',
      session: sessionConfig(),
      callbacks: wrong,
    });
    expect(await wrong.closedWith()).toEqual({ kind: 'fatal-error', code: 'UNAUTHORIZED', message: 'missing or invalid API key' });
    expect(wrong.reconnecting).toBe(0);

    const right = new VoiceAgentRecorder(() => sessionConfig());
    const connection = new AssemblyAiVoiceAgentProvider({
      url,
      apiKey: 'secret-key-123',
      logger: silentLogger,
      reconnect: FAST_RECONNECT,
    }).open({
      callId: 'CA-right-key',
      session: sessionConfig({ greeting: undefined }),
      callbacks: right,
    });
    await right.event('session.ready');
    connection.end();
    expect(await right.closedWith()).toEqual({ kind: 'ended' });
  });

  it('treats an HTTP 401 on the upgrade as fatal without retrying', async () => {
    let upgrades = 0;
    const http: Server = createServer((_request, response) => response.end());
    http.on('upgrade', (_request, socket) => {
      upgrades++;
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    servers.push({ close: () => new Promise<void>((resolve) => http.close(() => resolve())) });
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1/ws`;

    const recorder = new VoiceAgentRecorder(() => sessionConfig());
    new AssemblyAiVoiceAgentProvider({ url, apiKey: 'some-key-123', logger: silentLogger, reconnect: FAST_RECONNECT }).open({
      callId: 'CA-401',
      session: sessionConfig(),
      callbacks: recorder,
    });
    expect(await recorder.closedWith()).toMatchObject({ kind: 'fatal-error', code: 'UNAUTHORIZED' });
    expect(upgrades).toBe(1);
  });

  it('gives up at the recovery deadline when session.ready never comes, instead of retrying for the caller to hear silence', async () => {
    const server = new LocalVoiceAgentServer({ msPerWord: 20 });
    servers.push(server);
    const port = await server.listen(0);
    const control = await LocalProviderControlClient.connect(`ws://127.0.0.1:${port}/local-provider/control`);
    servers.push(control);
    await control.injectFault('CA-never-ready', 'withhold-ready');
    const recorder = new VoiceAgentRecorder(() => sessionConfig());
    const started = Date.now();
    new LocalVoiceAgentProvider({
      url: `ws://127.0.0.1:${port}/local-provider/v1/ws`,
      logger: silentLogger,
      reconnect: { ...FAST_RECONNECT, recoveryDeadlineMs: 700 },
    }).open({
      callId: 'CA-never-ready',
      session: sessionConfig(),
      callbacks: recorder,
    });
    expect(await recorder.closedWith()).toMatchObject({ kind: 'lost', message: expect.stringContaining('700 ms') });
    // Each attempt alone would wait 2 s for its session.ready.
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it('treats a socket that stops answering pings as dropped, and gives up when the path stays dead', async () => {
    const server = new LocalVoiceAgentServer({ msPerWord: 20 });
    servers.push(server);
    const port = await server.listen(0);
    const control = await LocalProviderControlClient.connect(`ws://127.0.0.1:${port}/local-provider/control`);
    servers.push(control);
    const recorder = new VoiceAgentRecorder(() => sessionConfig());
    const watchdog = new SocketWatchdog(100);
    const connection = new LocalVoiceAgentProvider({
      url: `ws://127.0.0.1:${port}/local-provider/v1/ws`,
      logger: silentLogger,
      reconnect: { ...FAST_RECONNECT, recoveryDeadlineMs: 800 },
      watchdog,
    }).open({ callId: 'CA-black-hole', session: sessionConfig({ greeting: undefined }), callbacks: recorder });
    await recorder.event('session.ready');
    // Quiet but alive: pongs keep it up across many ping intervals.
    const quietSince = Date.now();
    await waitFor(() => Date.now() - quietSince > 600, { what: 'six ping intervals', intervalMs: 100 });
    expect(connection.ready).toBe(true);

    await control.injectFault('CA-black-hole', 'black-hole');
    const holeAt = Date.now();
    await waitFor(() => recorder.reconnecting > 0, { what: 'the silent socket noticed', timeoutMs: 2_000, intervalMs: 20 });
    expect(Date.now() - holeAt).toBeLessThan(500);
    expect(connection.counters.silentSockets).toBe(1);
    expect(await recorder.closedWith()).toMatchObject({ kind: 'lost' });
    expect(watchdog.size).toBe(0);
  });

  it('reports the connection lost when neither resume nor a fresh session works', async () => {
    const server = new LocalVoiceAgentServer({ msPerWord: 20 });
    const port = await server.listen(0);
    const recorder = new VoiceAgentRecorder(() => sessionConfig());
    const connection = new LocalVoiceAgentProvider({
      url: `ws://127.0.0.1:${port}/local-provider/v1/ws`,
      logger: silentLogger,
      reconnect: { ...FAST_RECONNECT, resumeAttempts: 3, freshAttempts: 2 },
    }).open({ callId: 'CA-lost', session: sessionConfig({ greeting: undefined }), callbacks: recorder });
    await recorder.event('session.ready');

    expect(connection.ready).toBe(true);
    await server.close();
    const reason = await recorder.closedWith();
    expect(reason).toMatchObject({ kind: 'lost' });
    expect(recorder.reconnecting).toBe(1);
    expect(recorder.freshRequests).toBe(1);
    expect(recorder.resumed).toHaveLength(0);
  });
});
