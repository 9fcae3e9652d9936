import request from 'supertest';
import WebSocket from 'ws';
import { SimulatedTwilioCall } from '../../../src/simulator/twilio-call.simulator';
import {
  indexOfObserved,
  newCallSid,
  placeCall,
  PlacedCall,
  signedMediaStreamHeaders,
  TEST_TWILIO_AUTH_TOKEN,
} from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { isolate } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';

const isToolCall = (name: string) => (message: Record<string, unknown>) => message.type === 'tool.call' && message.name === name;

describe('live call path: Twilio <-> service <-> voice agent provider', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];
  const call = async (options: Parameters<typeof placeCall>[1] = {}) => {
    const placed = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, ...options });
    calls.push(placed);
    return placed;
  };

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, LOCAL_PROVIDER_MS_PER_WORD: '40' }, 'livecall');
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

  it('opens the provider session with session.update first, greets, and relays audio both ways untouched', async () => {
    const placed = await call();
    const first = placed.provider.observed(placed.callSid).find((event) => event.direction === 'client-to-provider');
    expect(first?.message.type).toBe('session.update');
    const session = first!.message.session as {
      input: { format: { encoding: string } };
      output: { format: { encoding: string } };
      tools: { name: string }[];
    };
    expect(session.input.format.encoding).toBe('audio/pcmu');
    expect(session.output.format.encoding).toBe('audio/pcmu');
    await placed.twilio.waitForMedia(10, 10_000);
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
    const replyDoneAt = placed.provider
      .observed(placed.callSid)
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
    await placed.say('Actually, never mind that.');
    await placed.waitToService('reply.done', (message) => message.status === 'interrupted');
    await placed.twilio.waitForClear(1, 5_000);
    // The agent answers the new utterance; by then a result for the dropped call would have gone out.
    await placed
      .waitToService(
        'transcript.agent',
        (message) => message.interrupted !== true && placed.toService('transcript.user').length >= 2,
        10_000,
      )
      .catch(() => undefined);
    await placed.waitToService('reply.done', (message) => message.status !== 'interrupted', 10_000);
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
  });

  it('accepts tool arguments sent as a JSON string', async () => {
    const placed = await call();
    await placed.provider.forceToolCall(placed.callSid, 'lookup_order', { order_id: 'ORD-67890' }, { argumentsAsString: true });
    const result = await placed.waitFromService('tool.result');
    expect(JSON.parse(result.result as string)).toMatchObject({ order_id: 'ORD-67890', status: 'processing' });
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

  it('resumes a provider socket dropped mid-call and audio flows again', async () => {
    const placed = await call();
    await placed.twilio.waitForMedia(5, 10_000);
    const firstSession = (await placed.provider.stats(placed.callSid)).sessionId;
    await placed.provider.dropSocket(placed.callSid);
    await placed.provider.waitFor(
      (event) => event.type === 'session-resumed' && 'callId' in event && event.callId === placed.callSid,
      10_000,
    );
    expect(placed.fromService('session.resume')).toEqual([expect.objectContaining({ session_id: firstSession })]);
    const framesAtResume = (await placed.provider.stats(placed.callSid)).inputAudioFrames;
    await waitFor(async () => (await placed.provider.stats(placed.callSid)).inputAudioFrames > framesAtResume + 10, {
      what: 'caller audio after resume',
    });
    const received = placed.twilio.stats().received.mediaFrames;
    await placed.say('Where is my order ORD-12345?');
    await placed.waitFromService('tool.result');
    await placed.twilio.waitFor((twilio) => twilio.stats().received.mediaFrames > received, 10_000, 'agent audio after resume');
  });

  it('starts a fresh session rebuilt from the call when resume is refused', async () => {
    const placed = await call();
    await placed.say('My email is jane@example.com and my postcode is 94107');
    await placed.waitFromService('tool.result');
    await placed.provider.dropSocket(placed.callSid, { refuseResume: true });
    const fresh = await placed.waitFromService('session.update', (message) =>
      String((message.session as { system_prompt?: string })?.system_prompt ?? '').includes('Conversation so far'),
    );
    const prompt = (fresh.session as { system_prompt: string }).system_prompt;
    expect(prompt).toContain('jane@example.com');
    expect(prompt).toContain('Verified account: ACC-001');
  });
});

describe('tool timeouts', () => {
  let service: TestApp;
  let postgres: TcpProxy;

  beforeAll(async () => {
    const { databaseUrl } = await isolate('tooltimeout');
    postgres = TcpProxy.forUrl(databaseUrl);
    await postgres.start();
    service = await startTestApp(
      { DATABASE_URL: postgres.proxiedUrl(databaseUrl), TOOL_TIMEOUT_MS: '300', LOCAL_PROVIDER_MS_PER_WORD: '40' },
      'tooltimeout',
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
