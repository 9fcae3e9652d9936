import request from 'supertest';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { SimulatedTwilioCall } from '../../../src/simulator/twilio-call.simulator';
import { SessionLifecycleEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import {
  indexOfObserved,
  newCallSid,
  placeCall,
  PlacedCall,
  signedMediaStreamHeaders,
  TEST_TWILIO_AUTH_TOKEN,
} from '../../support/call-harness';
import { PerProvider, PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { isolate } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';

type WireMessage = Record<string, unknown>;

const isToolCall = (name: string) => (message: WireMessage) => message.type === 'tool.call' && message.name === name;
const promptOf = (message: WireMessage) => String((message.session as { system_prompt?: string }).system_prompt ?? '');
const toolNamesOf = (message: WireMessage) => ((message.session as { tools?: { name: string }[] }).tools ?? []).map((tool) => tool.name);
/** 20 ms of mu-law silence: what both local servers speak, so what Twilio must get byte for byte. */
const MU_LAW_SILENCE_FRAME = Buffer.alloc(160, 0xff).toString('base64');
const REBUILT_SESSION_GREETING = 'Sorry about that, the line dropped for a moment.';

/** Where the two providers legitimately differ once a provider socket drops mid-call. */
interface AfterADrop {
  recovery: 'resumed' | 'rebuilt';
  /** How to drop the socket so that the call needs a session rebuilt from the call so far. */
  dropForFreshSession: { refuseResume?: boolean };
  /** The call's provider session is back after `firstSessionId` dropped (at mark `since`), the way this provider brings it back. */
  recovered(placed: PlacedCall, firstSessionId: string, since: number): Promise<void>;
  /** What a session rebuilt from scratch was given besides its prompt. */
  rebuiltFrom(placed: PlacedCall): Promise<void>;
}

const lifecycleAfter = (placed: PlacedCall, type: SessionLifecycleEvent['type'], since: number) =>
  placed.provider.waitFor<SessionLifecycleEvent>((event) => event.type === type && event.callId === placed.callSid, 10_000, since);

const AFTER_A_DROP: PerProvider<AfterADrop> = {
  // The AssemblyAI wire resumes the same session within its window; a refused resume gets a fresh one.
  assemblyai: {
    recovery: 'resumed',
    dropForFreshSession: { refuseResume: true },
    async recovered(placed, firstSessionId, since) {
      await lifecycleAfter(placed, 'session-resumed', since);
      expect(placed.fromService('session.resume')).toEqual([expect.objectContaining({ session_id: firstSessionId })]);
      expect(placed.fromService('session.update')).toHaveLength(1);
    },
    async rebuiltFrom(placed) {
      // The resume was tried, and refused.
      expect(placed.fromService('session.resume')).toHaveLength(1);
    },
  },
  // OpenAI Realtime has no resume: a dropped socket is a new session, configured in full from the call.
  openai: {
    recovery: 'rebuilt',
    dropForFreshSession: {},
    async recovered(placed, firstSessionId, since) {
      const opened = await lifecycleAfter(placed, 'session-opened', since);
      expect(opened.sessionId).not.toBe(firstSessionId);
      await waitFor(() => placed.fromService('session.update').length >= 2, { what: 'the rebuilt session configured' });
      const [first, rebuilt] = placed.fromService('session.update');
      expect(toolNamesOf(rebuilt).sort()).toEqual(toolNamesOf(first).sort());
      expect(placed.fromService('session.resume')).toEqual([]);
    },
    async rebuiltFrom(placed) {
      // The recent turns go back as conversation items too, the caller's own words among them.
      await placed.waitFromService('conversation.item.create', (message) => {
        const item = message.item as { type: string; role?: string; content?: { text?: string }[] };
        return item.type === 'message' && item.role === 'user' && item.content?.[0]?.text?.includes('jane@example.com') === true;
      });
      expect(placed.fromService('session.resume')).toEqual([]);
    },
  },
};

/** The voice a call starts with: triage's own (ivy) where the provider has it, else the provider's default. */
const TRIAGE_CALL_VOICE: PerProvider<string> = { assemblyai: 'ivy', openai: 'marin' };

describe('the Twilio side of the call path (whichever provider)', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];
  const call = async () => {
    const placed = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN });
    calls.push(placed);
    return placed;
  };

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, LOCAL_PROVIDER_MS_PER_WORD: '40' }, 'twilioside');
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  it('answers a signed voice webhook with TwiML that streams to us with the call SID and a one-time stream token', async () => {
    const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, authToken: TEST_TWILIO_AUTH_TOKEN, from: '+15551230000' });
    const answer = await twilio.requestTwiml();
    expect(answer.status).toBe(200);
    expect(answer.stream.url).toBe(`${service.wsBaseUrl}/twilio/media-stream`);
    expect(twilio.customParameters).toEqual({ callSid: twilio.stats().callSid, streamToken: expect.stringMatching(/^[\w-]{20,}$/) });
    twilio.dispose();
  });

  it('refuses an unsigned or wrongly signed webhook and media stream upgrade with 403', async () => {
    const form = { CallSid: newCallSid(), From: '+15551234567', To: '+15557654321' };
    await request(service.baseUrl).post('/twilio/voice').type('form').send(form).expect(403);
    await request(service.baseUrl).post('/twilio/voice').set('X-Twilio-Signature', 'bm9wZQ==').type('form').send(form).expect(403);
    await request(service.baseUrl)
      .post('/twilio/status')
      .type('form')
      .send({ ...form, CallStatus: 'completed' })
      .expect(403);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${service.wsBaseUrl}/twilio/media-stream`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('unsigned upgrade was accepted')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(403);
    const live = await request(service.baseUrl).get('/metrics');
    expect(live.text).toMatch(/voice_agent_media_stream_errors_total\{reason="bad-webhook-signature"\} [1-9]/);
  });

  it('survives garbage on one Media Stream without disturbing another live call', async () => {
    const healthy = await call();
    const noisy = await call();
    const before = healthy.twilio.stats().received.mediaFrames;
    noisy.twilio.sendRaw('this is not json');
    noisy.twilio.sendRaw('{"event":"surprise","streamSid":"x"}');
    noisy.twilio.sendRaw(Buffer.from([0, 1, 2, 3]));
    noisy.twilio.sendRaw(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(100_000) } }));
    noisy.twilio.sendRaw('{"event":"media"}');
    noisy.twilio.sendRaw('[]');

    const early = new WebSocket(`${service.wsBaseUrl}/twilio/media-stream`, { headers: signedMediaStreamHeaders(service) });
    await new Promise((resolve) => early.once('open', resolve));
    early.send(JSON.stringify({ event: 'media', media: { payload: '//79/w==' } }));
    early.close();

    await healthy.say('Where is my order ORD-12345?');
    await healthy.waitFromService('tool.result');
    await healthy.twilio.waitFor((placed) => placed.stats().received.mediaFrames > before + 20, 10_000, 'more audio on the healthy call');
    await request(service.baseUrl).get('/health').expect(200);
    // The noisy call is still up too: it keeps receiving audio.
    const noisyFrames = noisy.twilio.stats().received.mediaFrames;
    await noisy.twilio.waitFor((placed) => placed.stats().received.mediaFrames > noisyFrames, 10_000, 'audio on the noisy call');
    const metrics = await request(service.baseUrl).get('/metrics');
    for (const reason of ['not-json', 'unknown-event', 'binary', 'oversized', 'malformed-event', 'not-an-object', 'media-before-start']) {
      expect(metrics.text).toMatch(new RegExp(`voice_agent_media_stream_errors_total\\{reason="${reason}"\\} [1-9]`));
    }
  });
});

describe.each(PROVIDERS_UNDER_TEST)('live call path: Twilio <-> service <-> voice agent provider ($name)', (provider) => {
  let service: TestApp;
  const calls: PlacedCall[] = [];
  const afterADrop = AFTER_A_DROP[provider.name];
  const call = async () => {
    const placed = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN });
    calls.push(placed);
    return placed;
  };

  beforeAll(async () => {
    service = await startTestApp(
      { TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, LOCAL_PROVIDER_MS_PER_WORD: '40', ...provider.env },
      `livecall-${provider.name}`,
    );
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(() => service.close());

  it("opens the provider session first with the department's prompt and tools, greets, and relays audio both ways untouched", async () => {
    const triage = (await request(service.baseUrl).get('/agents/triage').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200))
      .body as { systemPrompt: string; greeting: string; tools: string[]; handoffTargets: string[] };
    const placed = await call();
    const first = placed.observed().find((event) => event.direction === 'client-to-provider');
    expect(first?.message.type).toBe('session.update');
    expect(promptOf(first!.message).startsWith(triage.systemPrompt.trim())).toBe(true);
    expect(toolNamesOf(first!.message).sort()).toEqual(
      [...triage.tools, ...triage.handoffTargets.map((department) => `transfer_to_${department}`)].sort(),
    );
    const [firstOnTheWire] = placed.rawFromService('session.update');
    expect(provider.wire.audioFormats(firstOnTheWire)).toEqual({ input: 'audio/pcmu', output: 'audio/pcmu' });
    expect(provider.wire.voice(firstOnTheWire)).toBe(TRIAGE_CALL_VOICE[provider.name]);

    const greeting = await placed.waitToService('transcript.agent');
    expect(greeting.text).toBe(triage.greeting);
    const payloads: string[] = [];
    placed.twilio.on('media', (media) => payloads.push(media.payload));
    await placed.say('Hello?');
    await placed.twilio.waitFor(() => payloads.length >= 10, 10_000, 'agent audio on Twilio');
    expect(new Set(payloads)).toEqual(new Set([MU_LAW_SILENCE_FRAME]));
    await waitFor(async () => (await placed.provider.stats(placed.callSid)).inputAudioFrames > 10, {
      what: 'caller audio at the provider',
    });
    expect(placed.twilio.protocolViolations).toEqual([]);
  });

  it('runs a tool at tool.call and answers it only after reply.done, as a JSON string', async () => {
    const placed = await call();
    await placed.say('Where is my order ORD-12345?');
    const toolCall = await placed.waitToService('tool.call', isToolCall('lookup_order'));
    const result = await placed.waitFromService('tool.result', (message) => message.call_id === toolCall.call_id);
    expect(typeof result.result).toBe('string');
    expect(JSON.parse(result.result as string)).toMatchObject({
      order_id: 'ORD-12345',
      status: 'shipped',
      tracking_number: '1Z999AA10123456784',
    });

    const toolCallAt = indexOfObserved(placed, 'provider-to-client', isToolCall('lookup_order'));
    const replyDoneAt = placed
      .observed()
      .findIndex((event, index) => index > toolCallAt && event.direction === 'provider-to-client' && event.message.type === 'reply.done');
    const resultAt = indexOfObserved(
      placed,
      'client-to-provider',
      (message) => message.type === 'tool.result' && message.call_id === toolCall.call_id,
    );
    expect(replyDoneAt).toBeGreaterThan(toolCallAt);
    expect(resultAt).toBeGreaterThan(replyDoneAt);
    await placed.waitToService('transcript.agent', (message) => String(message.text).includes('1Z999AA10123456784'));
  });

  it('drops the pending result and clears Twilio audio when the caller interrupts', async () => {
    const placed = await call();
    await placed.say('Where is my order ORD-67890?');
    const toolCall = await placed.waitToService('tool.call', isToolCall('lookup_order'));
    const clearsBefore = placed.twilio.clears.length;
    const beforeInterruption = placed.mark();
    await placed.say('Actually, never mind that.');
    await placed.waitToService('reply.done', (message) => message.status === 'interrupted');
    await placed.twilio.waitForClear(clearsBefore + 1, 5_000);
    // The agent answers the new utterance; by then a result for the dropped call would have gone out.
    await placed.replyFinishedAfter(beforeInterruption, 10_000);
    expect(placed.fromService('tool.result').filter((message) => message.call_id === toolCall.call_id)).toEqual([]);
  });

  it('answers a tool the agent does not have with an error, without running it', async () => {
    const placed = await call();
    await placed.provider.forceToolCall(placed.callSid, 'launch_rockets', { target: 'moon' });
    await placed.provider.forceToolCall(placed.callSid, 'process_refund', { order_id: 'ORD-12345', reason: 'x' });
    const results = await waitFor(() => (placed.fromService('tool.result').length >= 2 ? placed.fromService('tool.result') : undefined), {
      what: 'two error results',
    });
    const parsed = results.map((message) => JSON.parse(message.result as string));
    expect(parsed).toEqual([
      expect.objectContaining({ error: 'tool_not_available', tool: 'launch_rockets' }),
      expect.objectContaining({ error: 'tool_not_available', tool: 'process_refund' }),
    ]);
    expect(await service.app.get(DataSource).query('SELECT id FROM refunds')).toEqual([]);
  });

  it('accepts tool arguments sent as a JSON string', async () => {
    const placed = await call();
    await placed.provider.forceToolCall(placed.callSid, 'lookup_order', { order_id: 'ORD-67890' }, { argumentsAsString: true });
    const result = await placed.waitFromService('tool.result');
    expect(JSON.parse(result.result as string)).toMatchObject({ order_id: 'ORD-67890', status: 'processing' });
  });

  it(`recovers a provider socket dropped mid-call (${afterADrop.recovery}), and audio and tools work again`, async () => {
    const placed = await call();
    await placed.twilio.waitForMedia(5, 10_000);
    const firstSession = (await placed.provider.stats(placed.callSid)).sessionId;
    const droppedAt = placed.mark();
    await placed.provider.dropSocket(placed.callSid);
    await afterADrop.recovered(placed, firstSession, droppedAt);
    const framesAfterDrop = (await placed.provider.stats(placed.callSid)).inputAudioFrames;
    await waitFor(async () => (await placed.provider.stats(placed.callSid)).inputAudioFrames > framesAfterDrop + 10, {
      what: 'caller audio after the drop',
    });
    const received = placed.twilio.stats().received.mediaFrames;
    await placed.say('Where is my order ORD-12345?');
    await placed.waitFromService('tool.result');
    await placed.twilio.waitFor((twilio) => twilio.stats().received.mediaFrames > received, 10_000, 'agent audio after the drop');
  });

  it('starts a session rebuilt from the call so far when the old one cannot come back', async () => {
    const placed = await call();
    await placed.say('My email is jane@example.com and my postcode is 94107');
    await placed.waitFromService('tool.result');
    await placed.replyFinishedAfter(placed.mark());
    await placed.provider.dropSocket(placed.callSid, afterADrop.dropForFreshSession);
    const fresh = await placed.waitFromService('session.update', (message) => promptOf(message).includes('Conversation so far'));
    expect(promptOf(fresh)).toContain('jane@example.com');
    expect(promptOf(fresh)).toContain('Verified account: ACC-001');
    await afterADrop.rebuiltFrom(placed);
    // Configured in full again: the same audio formats and the voice the call started with.
    const [firstOnTheWire, rebuiltOnTheWire] = placed.rawFromService('session.update');
    expect(provider.wire.audioFormats(rebuiltOnTheWire)).toEqual({ input: 'audio/pcmu', output: 'audio/pcmu' });
    expect(provider.wire.voice(rebuiltOnTheWire)).toBe(provider.wire.voice(firstOnTheWire));
    // The new session speaks first.
    await placed.waitToService('transcript.agent', (message) => String(message.text).startsWith(REBUILT_SESSION_GREETING));
  });
});

describe.each(PROVIDERS_UNDER_TEST)('tool timeouts ($name)', (provider) => {
  let service: TestApp;
  let postgres: TcpProxy;

  beforeAll(async () => {
    const { databaseUrl } = await isolate(`tooltimeout-${provider.name}`);
    postgres = TcpProxy.forUrl(databaseUrl);
    await postgres.start();
    service = await startTestApp(
      { DATABASE_URL: postgres.proxiedUrl(databaseUrl), TOOL_TIMEOUT_MS: '300', LOCAL_PROVIDER_MS_PER_WORD: '40', ...provider.env },
      `tooltimeout-${provider.name}`,
    );
  });
  afterAll(async () => {
    await postgres.start().catch(() => undefined);
    await service.close();
    await postgres.stop();
  });

  it('answers a tool that cannot finish in time with a timeout error, not silence', async () => {
    const placed = await placeCall(service);
    try {
      postgres.stall();
      await placed.provider.forceToolCall(placed.callSid, 'lookup_order', { order_id: 'ORD-12345' });
      const result = await placed.waitFromService('tool.result', undefined, 5_000);
      expect(JSON.parse(result.result as string)).toMatchObject({ error: 'tool_timeout', tool: 'lookup_order' });
    } finally {
      await postgres.cut();
      await postgres.start();
      await placed.hangUp();
    }
  });
});
