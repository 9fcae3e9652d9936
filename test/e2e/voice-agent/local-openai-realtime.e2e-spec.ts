import { LOCAL_OPENAI_PROVIDER_PATH } from '../../../src/config/app-config';
import { LocalProviderControlClient } from '../../../src/voice-agent/local/local-provider-control.client';
import { ObservedEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import { LocalVoiceAgentServer } from '../../../src/voice-agent/local/local-voice-agent.server';
import { WireEvent, RawProviderSocket } from './raw-provider-socket';
import { BILLING_TOOLS, CALLER_FRAME, TRIAGE_TOOLS } from './voice-agent-recorder';

const TRIAGE_PROMPT = 'You are Avery, the front desk agent at Acme support.';
const BILLING_PROMPT = 'You are Bailey, the billing specialist at Acme.\nHelp with charges, invoices and balances.';
const LONG_TEXT = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

// The session a Twilio bridge sends first (PROTOCOL-OPENAI.md).
const bridgeSession = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'realtime',
  instructions: TRIAGE_PROMPT,
  output_modalities: ['audio'],
  audio: {
    input: {
      format: { type: 'audio/pcmu' },
      transcription: { model: 'gpt-4o-mini-transcribe' },
      turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true },
    },
    output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
  },
  tools: TRIAGE_TOOLS,
  tool_choice: 'auto',
  ...overrides,
});

const errorOf = (event: WireEvent) => event.error as Record<string, unknown>;
const responseOf = (event: WireEvent) =>
  event.response as { id: string; status: string; status_details: unknown; output: Record<string, unknown>[] };
const itemOf = (event: WireEvent) => event.item as Record<string, unknown>;

describe('local OpenAI Realtime (GA) server over real sockets', () => {
  let server: LocalVoiceAgentServer;
  let port: number;
  let control: LocalProviderControlClient;
  let sockets: RawProviderSocket[] = [];
  let callSequence = 0;

  beforeAll(async () => {
    // One 20 ms frame per word keeps replies short.
    server = new LocalVoiceAgentServer({ msPerWord: 20 });
    port = await server.listen(0);
    control = await LocalProviderControlClient.connect(`ws://127.0.0.1:${port}/local-provider/control`);
    await control.subscribe('*');
  });

  afterEach(() => {
    sockets.forEach((socket) => socket.close());
    sockets = [];
  });

  afterAll(async () => {
    await control.close();
    await server.close();
  });

  const url = (query = '?model=gpt-realtime') => `ws://127.0.0.1:${port}${LOCAL_OPENAI_PROVIDER_PATH}${query}`;

  // An open session (session.created seen), configured with `session` when given.
  async function openCall(session?: Record<string, unknown>): Promise<{ callId: string; socket: RawProviderSocket }> {
    const callId = `CA-openai-${++callSequence}`;
    const socket = await RawProviderSocket.open(url(), { authorization: 'Bearer sk-local-test', 'x-local-call-id': callId });
    sockets.push(socket);
    await socket.next('session.created');
    if (session) {
      socket.send({ type: 'session.update', session });
      await socket.next('session.updated');
    }
    return { callId, socket };
  }

  // Asks for a reply of exactly `text` (the greeting convention) and waits for its response.done.
  async function speak(socket: RawProviderSocket, text: string): Promise<WireEvent> {
    const since = socket.mark();
    socket.send({ type: 'response.create', response: { instructions: `Say exactly: "${text}"` } });
    return socket.next('response.done', { since });
  }

  async function sessionUnchanged(callId: string, before: unknown): Promise<void> {
    expect((await control.stats(callId)).openai?.session).toEqual(before);
  }

  describe('the upgrade', () => {
    it('needs a Bearer key and ?model=, then sends session.created first', async () => {
      const noKey = await RawProviderSocket.refusal(url());
      expect(noKey.status).toBe(401);
      expect(JSON.parse(noKey.body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
      const noModel = await RawProviderSocket.refusal(url(''), { authorization: 'Bearer sk-local-test' });
      expect(noModel.status).toBe(400);
      expect(JSON.parse(noModel.body)).toMatchObject({ error: { code: 'missing_required_parameter', param: 'model' } });

      const { socket } = await openCall();
      expect(socket.events[0]).toMatchObject({
        type: 'session.created',
        event_id: expect.any(String),
        session: {
          type: 'realtime',
          model: 'gpt-realtime',
          audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: null }, output: { voice: 'alloy' } },
        },
      });
    });

    it('checks the key when the server was given one', async () => {
      const keyed = new LocalVoiceAgentServer({ msPerWord: 20, apiKey: 'sk-configured' });
      const keyedPort = await keyed.listen(0);
      try {
        const keyedUrl = `ws://127.0.0.1:${keyedPort}${LOCAL_OPENAI_PROVIDER_PATH}?model=gpt-realtime`;
        expect((await RawProviderSocket.refusal(keyedUrl, { authorization: 'Bearer sk-other' })).status).toBe(401);
        const socket = await RawProviderSocket.open(keyedUrl, { authorization: 'Bearer sk-configured' });
        sockets.push(socket);
        await socket.next('session.created');
      } finally {
        await keyed.close();
      }
    });
  });

  describe('refusals leave the session running and unchanged', () => {
    it('refuses a session.update without session.type', async () => {
      const { callId, socket } = await openCall(bridgeSession());
      const before = (await control.stats(callId)).openai?.session;
      const since = socket.mark();
      socket.send({ type: 'session.update', event_id: 'evt_client_1', session: { instructions: 'You are someone else.' } });
      const error = await socket.next('error', { since });
      expect(error).toEqual({
        type: 'error',
        event_id: expect.any(String),
        error: {
          type: 'invalid_request_error',
          code: 'missing_required_parameter',
          message: expect.stringContaining('session.type'),
          param: 'session.type',
          event_id: 'evt_client_1',
        },
      });
      await sessionUnchanged(callId, before);
      expect(socket.closeCode).toBeUndefined();
      await speak(socket, 'Still here.');
    });

    it('refuses beta-era fields at the top of session with unknown_parameter', async () => {
      const { callId, socket } = await openCall(bridgeSession());
      const before = (await control.stats(callId)).openai?.session;
      const betaFields: Record<string, unknown> = {
        voice: 'alloy',
        turn_detection: { type: 'server_vad' },
        input_audio_format: 'g711_ulaw',
        output_audio_format: 'g711_ulaw',
        modalities: ['audio', 'text'],
      };
      for (const [field, value] of Object.entries(betaFields)) {
        const since = socket.mark();
        socket.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Changed?', [field]: value } });
        expect(errorOf(await socket.next('error', { since }))).toMatchObject({
          type: 'invalid_request_error',
          code: 'unknown_parameter',
          param: `session.${field}`,
        });
      }
      await sessionUnchanged(callId, before);
      await speak(socket, 'Still here.');
    });

    it('refuses a voice change once the assistant has produced audio', async () => {
      const { callId, socket } = await openCall(bridgeSession());
      // Before any audio the voice may still change.
      const beforeAudio = socket.mark();
      socket.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { voice: 'cedar' } } } });
      const changed = (await socket.next('session.updated', { since: beforeAudio })).session as Record<string, unknown>;
      expect(changed).toMatchObject({ audio: { output: { voice: 'cedar' } } });
      await speak(socket, 'Hello there.');

      const before = (await control.stats(callId)).openai?.session;
      const since = socket.mark();
      socket.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { voice: 'marin' } } } });
      expect(errorOf(await socket.next('error', { since }))).toMatchObject({
        code: 'cannot_update_voice',
        param: 'session.audio.output.voice',
      });
      await sessionUnchanged(callId, before);
      // The same voice again is not a change.
      socket.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { voice: 'cedar' } } } });
      await socket.next('session.updated', { since });
    });

    it('refuses response.create while a response is active', async () => {
      const { socket } = await openCall(bridgeSession());
      const since = socket.mark();
      socket.send({ type: 'response.create', response: { instructions: `Say exactly: "${LONG_TEXT}"` } });
      const created = await socket.next('response.created', { since });
      socket.send({ type: 'response.create' });
      const error = errorOf(await socket.next('error', { since }));
      expect(error).toMatchObject({ code: 'conversation_already_has_active_response', param: null });
      expect(error.message).toContain(responseOf(created).id);
      const done = await socket.next('response.done', { since });
      expect(responseOf(done)).toMatchObject({ id: responseOf(created).id, status: 'completed' });
      expect(socket.since(since).filter((event) => event.type === 'response.created')).toHaveLength(1);
    });
  });

  it('runs a caller turn: VAD events, transcription, then a response with audio and transcript', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    const greeting = await speak(socket, 'Hi, this is Avery from Acme support. How can I help?');
    expect(responseOf(greeting).output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_audio', transcript: 'Hi, this is Avery from Acme support. How can I help?' }],
    });
    for (let frame = 0; frame < 5; frame++) socket.send({ type: 'input_audio_buffer.append', audio: CALLER_FRAME });

    const since = socket.mark();
    await control.say(callId, 'Thank you so much');
    const done = await socket.next('response.done', { since });
    const types = socket.typesSince(since);
    expect(types.slice(0, 10)).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      'conversation.item.input_audio_transcription.completed',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
    ]);
    expect(new Set(types.slice(10, -6))).toEqual(new Set(['response.output_audio.delta', 'response.output_audio_transcript.delta']));
    expect(types.slice(-6)).toEqual([
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'conversation.item.done',
      'response.done',
    ]);
    const transcription = await socket.next('conversation.item.input_audio_transcription.completed', { since });
    const committed = await socket.next('input_audio_buffer.committed', { since });
    expect(transcription).toMatchObject({ item_id: committed.item_id, content_index: 0, transcript: 'Thank you so much' });

    const answer = "You're welcome! Is there anything else I can help with?";
    const transcriptDone = await socket.next('response.output_audio_transcript.done', { since });
    expect(transcriptDone.transcript).toBe(answer);
    const words = socket.since(since).filter((event) => event.type === 'response.output_audio_transcript.delta');
    expect(words.map((event) => event.delta).join('')).toBe(answer);
    const messageItem = responseOf(done).output[0];
    expect(responseOf(done).status).toBe('completed');
    // mu-law silence, 20 ms a frame, one frame per word at this pace.
    expect(socket.audioDeltas(messageItem.id as string, since)).toBe(answer.split(' ').length);
    const delta = await socket.next('response.output_audio.delta', { since });
    expect(Buffer.from(delta.delta as string, 'base64')).toEqual(Buffer.alloc(160, 0xff));
    expect(await control.stats(callId)).toMatchObject({ inputAudioFrames: 5, voice: 'marin' });
  });

  it('sends no transcription event when audio.input.transcription is not configured', async () => {
    const session = bridgeSession();
    const audio = session.audio as { input: Record<string, unknown> };
    delete audio.input.transcription;
    const { callId, socket } = await openCall(session);
    const since = socket.mark();
    await control.say(callId, 'Thank you');
    await socket.next('response.done', { since });
    expect(socket.typesSince(since)).not.toContain('conversation.item.input_audio_transcription.completed');
  });

  it('continues after a function call only on function_call_output and response.create', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    let since = socket.mark();
    await control.say(callId, 'Where is my order ORD-12345?');
    const callDone = await socket.next('response.output_item.done', { since, where: (event) => itemOf(event).type === 'function_call' });
    const call = itemOf(callDone);
    expect(call).toMatchObject({ type: 'function_call', status: 'completed', name: 'lookup_order', call_id: expect.any(String) });
    expect(JSON.parse(call.arguments as string)).toEqual({ order_id: 'ORD-12345' });
    expect(await socket.next('response.function_call_arguments.done', { since })).toMatchObject({
      call_id: call.call_id,
      item_id: call.id,
      arguments: call.arguments,
    });

    // The output may come while the transition phrase still plays: the follow-up waits all the same.
    socket.send({
      type: 'conversation.item.create',
      item: {
        type: 'function_call_output',
        call_id: call.call_id,
        output: JSON.stringify({ order_id: 'ORD-12345', status: 'shipped', eta: '2026-05-09' }),
      },
    });
    const done = await socket.next('response.done', { since });
    expect(responseOf(done).status).toBe('completed');
    expect(responseOf(done).output.map((item) => item.type)).toEqual(['function_call', 'message']);
    expect(
      itemOf(await socket.next('conversation.item.added', { since, where: (event) => itemOf(event).type === 'function_call_output' })),
    ).toMatchObject({
      call_id: call.call_id,
    });

    // No automatic response after a function output: a round trip shows nothing started.
    since = socket.mark();
    socket.send({ type: 'session.update', session: { type: 'realtime' } });
    await socket.next('session.updated', { since });
    expect(socket.typesSince(since)).toEqual(['session.updated']);

    socket.send({ type: 'response.create' });
    const reply = await socket.next('response.output_audio_transcript.done', { since });
    expect(reply.transcript).toBe('Order ORD-12345 is shipped, arriving 2026-05-09. Is there anything else I can help with?');
    await socket.next('response.done', { since });

    // An output for a call the server never made is refused.
    const errorSince = socket.mark();
    socket.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_never_issued', output: '{}' } });
    expect(errorOf(await socket.next('error', { since: errorSince }))).toMatchObject({ code: 'invalid_value', param: 'item.call_id' });
  });

  it('hands off with a session.update that omits audio: formats stay audio/pcmu and the new tools drive the brain', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    let since = socket.mark();
    await control.say(callId, 'Why was I charged twice?');
    const transfer = itemOf(
      await socket.next('response.output_item.done', { since, where: (event) => itemOf(event).type === 'function_call' }),
    );
    expect(transfer.name).toBe('transfer_to_billing');
    await socket.next('response.done', { since });

    // As openai-agents-js does: update, the transfer's output, then response.create, without waiting.
    since = socket.mark();
    socket.send({
      type: 'session.update',
      session: { type: 'realtime', instructions: `${BILLING_PROMPT}\nVerified account: ACC-001 (Jane Doe)`, tools: BILLING_TOOLS },
    });
    socket.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: transfer.call_id, output: JSON.stringify({ ok: true, department: 'billing' }) },
    });
    socket.send({ type: 'response.create' });

    const updated = (await socket.next('session.updated', { since })).session as Record<string, unknown>;
    expect(updated).toMatchObject({
      instructions: expect.stringContaining('Bailey'),
      audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' }, voice: 'marin' } },
    });
    const stats = await control.stats(callId);
    expect(stats.tools).toEqual(BILLING_TOOLS.map((tool) => tool.name));
    expect(stats.openai?.session.audio.input.format).toEqual({ type: 'audio/pcmu' });
    expect(stats.openai?.session.audio.output.format).toEqual({ type: 'audio/pcmu' });

    const check = itemOf(
      await socket.next('response.output_item.done', { since, where: (event) => itemOf(event).type === 'function_call' }),
    );
    expect(check.name).toBe('check_billing');
    expect(JSON.parse(check.arguments as string)).toEqual({ account_id: 'ACC-001' });
    const intro = await socket.next('response.output_audio_transcript.done', { since });
    expect(intro.transcript).toBe('Hi, this is Bailey, the billing specialist at Acme. Let me check that for you.');
  });

  it('records conversation.item.truncate with audio_end_ms, and refuses one past the audio sent', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    const since = socket.mark();
    socket.send({ type: 'response.create', response: { instructions: `Say exactly: "${LONG_TEXT}"` } });
    const added = await socket.next('response.output_item.added', { since, where: (event) => itemOf(event).type === 'message' });
    const itemId = itemOf(added).id as string;
    await socket.until(() => socket.audioDeltas(itemId, since) >= 5, 'five audio deltas');
    socket.send({ type: 'response.cancel' });
    const cancelled = await socket.next('response.done', { since });
    expect(responseOf(cancelled)).toMatchObject({ status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } });
    const sentMs = socket.audioDeltas(itemId, since) * 20;

    let mark = socket.mark();
    socket.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: sentMs + 20 });
    expect(errorOf(await socket.next('error', { since: mark }))).toMatchObject({ code: 'invalid_value', param: 'audio_end_ms' });
    mark = socket.mark();
    socket.send({ type: 'conversation.item.truncate', item_id: 'item_unknown', content_index: 0, audio_end_ms: 0 });
    expect(errorOf(await socket.next('error', { since: mark }))).toMatchObject({ code: 'invalid_value', param: 'item_id' });

    mark = socket.mark();
    const heardMs = 60;
    socket.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: heardMs });
    expect(await socket.next('conversation.item.truncated', { since: mark })).toMatchObject({
      item_id: itemId,
      content_index: 0,
      audio_end_ms: heardMs,
    });
    expect((await control.stats(callId)).openai?.truncations).toEqual([
      { item_id: itemId, content_index: 0, audio_end_ms: heardMs, at: expect.any(Number) },
    ]);
    const observed = await control.waitForObserved(callId, 'client-to-provider', 'conversation.item.truncate', {
      where: (message) => message.audio_end_ms === heardMs,
    });
    expect(observed.item_id).toBe(itemId);

    mark = socket.mark();
    socket.send({ type: 'response.cancel' });
    expect(errorOf(await socket.next('error', { since: mark }))).toMatchObject({ code: 'response_cancel_not_active' });
  });

  it('cancels the response in progress when the caller barges in', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    const since = socket.mark();
    socket.send({ type: 'response.create', response: { instructions: `Say exactly: "${LONG_TEXT}"` } });
    const created = await socket.next('response.created', { since });
    await socket.until(() => socket.since(since).filter((event) => event.type === 'response.output_audio.delta').length >= 3, 'some audio');

    const bargeIn = socket.mark();
    await control.say(callId, 'Sorry, where is ORD-12345?');
    const cancelled = await socket.next('response.done', { since: bargeIn });
    const types = socket.typesSince(bargeIn);
    expect(types.indexOf('input_audio_buffer.speech_started')).toBe(0);
    expect(types.indexOf('response.done')).toBeLessThan(types.indexOf('input_audio_buffer.speech_stopped'));
    expect(responseOf(cancelled)).toMatchObject({
      id: responseOf(created).id,
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
    });
    const heard = (responseOf(cancelled).output[0].content as { transcript: string }[])[0].transcript;
    expect(heard.length).toBeLessThan(LONG_TEXT.length);
    expect(LONG_TEXT.startsWith(heard)).toBe(true);
    expect(responseOf(cancelled).output[0].status).toBe('incomplete');

    // The caller's turn then gets its own response.
    const lookup = itemOf(
      await socket.next('response.output_item.done', { since: bargeIn, where: (event) => itemOf(event).type === 'function_call' }),
    );
    expect(lookup.name).toBe('lookup_order');
  });

  it('keeps the response going when interrupt_response is off, and waits for response.create when create_response is off', async () => {
    const { callId, socket } = await openCall(
      bridgeSession({
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            turn_detection: { type: 'server_vad', create_response: false, interrupt_response: false },
          },
        },
      }),
    );
    const since = socket.mark();
    socket.send({ type: 'response.create', response: { instructions: `Say exactly: "${LONG_TEXT}"` } });
    await socket.next('response.output_audio.delta', { since });
    await control.say(callId, 'Thank you');
    const done = await socket.next('response.done', { since });
    expect(responseOf(done).status).toBe('completed');
    expect(socket.since(since).filter((event) => event.type === 'response.created')).toHaveLength(1);
    expect(socket.typesSince(since)).toContain('input_audio_buffer.committed');

    const mark = socket.mark();
    socket.send({ type: 'response.create' });
    const answer = await socket.next('response.output_audio_transcript.done', { since: mark });
    expect(answer.transcript).toBe("You're welcome! Is there anything else I can help with?");
  });

  it('greets on a response.create before any caller turn, from the instructions', async () => {
    const { socket } = await openCall(bridgeSession());
    const since = socket.mark();
    socket.send({ type: 'response.create' });
    const greeting = await socket.next('response.output_audio_transcript.done', { since });
    expect(greeting.transcript).toBe(
      'Hi, this is Avery, the front desk agent at Acme support. I can help with orders, billing, refunds and general questions. What can I do for you?',
    );
  });

  it('accepts history items and records them, refusing content a role cannot carry', async () => {
    const { callId, socket } = await openCall(bridgeSession());
    const since = socket.mark();
    socket.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where is my order ORD-12345?' }] },
    });
    socket.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: "It's on its way." }] },
    });
    socket.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'assistant', content: [{ type: 'output_audio', audio: CALLER_FRAME }] },
    });
    expect(errorOf(await socket.next('error', { since }))).toMatchObject({ code: 'invalid_value', param: 'item.content[0].type' });
    const items = (await control.stats(callId)).openai?.items ?? [];
    expect(items.map((item) => ({ role: item.role, text: item.text, origin: item.origin }))).toEqual([
      { role: 'user', text: 'Where is my order ORD-12345?', origin: 'client' },
      { role: 'assistant', text: "It's on its way.", origin: 'client' },
    ]);
    expect(socket.since(since).filter((event) => event.type === 'conversation.item.added')).toHaveLength(2);
  });

  it("creates each response the paced delay after the caller stops, in the call's later sessions too", async () => {
    const PACE_MS = 400;
    const callId = `CA-openai-${++callSequence}`;
    // Set before the call has a socket: it holds for every session of the call.
    await control.pace(callId, PACE_MS);
    const delayOfResponse = async (): Promise<number> => {
      const socket = await RawProviderSocket.open(url(), { authorization: 'Bearer sk-local-test', 'x-local-call-id': callId });
      sockets.push(socket);
      await socket.next('session.created');
      socket.send({ type: 'session.update', session: bridgeSession() });
      await socket.next('session.updated');
      const since = control.mark();
      await control.say(callId, 'Thank you');
      const [stopped, created] = await Promise.all(
        ['input_audio_buffer.speech_stopped', 'response.created'].map((type) =>
          control.waitFor<ObservedEvent>(
            (event) => event.type === 'observed' && event.callId === callId && event.message.type === type,
            5_000,
            since,
          ),
        ),
      );
      await socket.next('response.done');
      socket.close();
      return created.at - stopped.at;
    };

    for (const delay of [await delayOfResponse(), await delayOfResponse()]) {
      expect(delay).toBeGreaterThanOrEqual(PACE_MS - 5);
      expect(delay).toBeLessThan(PACE_MS + 2_000);
    }
    await control.pace(callId, 0);
    // Without a delay the response is created in the same turn as speech_stopped.
    expect(await delayOfResponse()).toBeLessThan(PACE_MS / 2);
  });

  describe('faults', () => {
    it('refuses connections for a call with refuse-connections', async () => {
      await control.injectFault('CA-openai-refused', 'refuse-connections');
      await expect(
        RawProviderSocket.open(url(), { authorization: 'Bearer sk-local-test', 'x-local-call-id': 'CA-openai-refused' }),
      ).rejects.toThrow();
    });

    it('closes the session on drop-socket: there is no resume', async () => {
      const { callId, socket } = await openCall(bridgeSession());
      const since = control.mark();
      await control.dropSocket(callId);
      expect(await socket.closedCode()).toBe(1006);
      const closed = await control.waitFor((event) => event.type === 'session-closed' && event.callId === callId, 3_000, since);
      expect(closed).toMatchObject({ reason: expect.stringContaining('no resume') });
      await expect(control.say(callId, 'Hello?')).rejects.toThrow(/no live session/);
    });

    it('ends the session with an error and a close on end-session', async () => {
      const { callId, socket } = await openCall(bridgeSession());
      const since = socket.mark();
      await control.injectFault(callId, 'end-session');
      expect(errorOf(await socket.next('error', { since }))).toMatchObject({ code: 'session_expired' });
      expect(await socket.closedCode()).toBe(1000);
    });
  });
});
