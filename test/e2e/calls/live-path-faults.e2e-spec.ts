import request from 'supertest';
import WebSocket from 'ws';
import { CallJournalStore } from '../../../src/call-journal/call-journal.store';
import { SimulatedTwilioCall } from '../../../src/simulator/twilio-call.simulator';
import { LocalProviderControlClient } from '../../../src/voice-agent/local/local-provider-control.client';
import { LocalProviderFault, SessionLifecycleEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import {
  indexOfObserved,
  newCallSid,
  placeCall,
  PlacedCall,
  signedMediaStreamHeaders,
  TEST_TWILIO_AUTH_TOKEN,
} from '../../support/call-harness';
import { PerProvider, PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

/*
 * What the caller gets when a peer misbehaves. Timers are short here (provider recovery 2 s,
 * pings every 300 ms, a silent Media Stream given up after 1.5 s); the prompts play in real time.
 */
const FAST_FAILURES = {
  PROVIDER_RECOVERY_TIMEOUT_MS: '2000',
  SOCKET_PING_INTERVAL_MS: '300',
  MEDIA_STREAM_IDLE_TIMEOUT_MS: '1500',
  LOCAL_PROVIDER_MS_PER_WORD: '30',
};

const supervisor = (service: TestApp, path: string) =>
  request(service.baseUrl).get(path).set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`);

async function storedCall(
  service: TestApp,
  callSid: string,
): Promise<{ outcome: string; endReason: string; events: ({ type: string } & Record<string, unknown>)[] }> {
  return waitFor(
    async () => {
      const response = await supervisor(service, `/calls/${callSid}`);
      return response.status === 200 && response.body.summary ? response.body : undefined;
    },
    { what: `the stored record of ${callSid}`, timeoutMs: 20_000 },
  );
}

const liveCallSids = async (service: TestApp): Promise<string[]> =>
  ((await supervisor(service, '/calls/live').expect(200)).body as { callSid: string }[]).map((call) => call.callSid);

const sessionOpenedAfter = (placed: PlacedCall, since: number) =>
  placed.provider.waitFor<SessionLifecycleEvent>(
    (event) => event.type === 'session-opened' && event.callId === placed.callSid,
    10_000,
    since,
  );

/**
 * Where the providers legitimately differ when a peer misbehaves. AssemblyAI's session.ended ends
 * the agent; OpenAI's session_expired (a session at its maximum duration) ends only the session,
 * and the call goes on in a new one. AssemblyAI resumes a dropped session, so a tool result the
 * old socket swallowed is sent again; OpenAI has no resume, so the call id died with the session
 * and the new one is told what the tool established instead.
 */
interface FaultExpectations {
  /** The provider ends the session mid-call (the end-session fault). */
  sessionEnded: { what: string; then(placed: PlacedCall, service: TestApp, since: number): Promise<void> };
  /** A tool result the provider never read (lose-incoming), after the socket dropped. */
  swallowedResult: { what: string; then(placed: PlacedCall, toolCall: Record<string, unknown>, since: number): Promise<void> };
  /** Leaves the call without an agent, and the end reason that gets. */
  agentGone: { fault(placed: PlacedCall): Promise<void>; endReason: string };
}

const FAULTS: PerProvider<FaultExpectations> = {
  assemblyai: {
    sessionEnded: {
      what: 'apologises and ends the call',
      async then(placed, service) {
        const closed = await placed.twilio.waitForClose(15_000);
        expect(closed.by).toBe('service');
        expect(await storedCall(service, placed.callSid)).toMatchObject({ endReason: 'failure' });
      },
    },
    swallowedResult: {
      what: 're-sends it once the session resumes',
      async then(placed, toolCall) {
        const resent = await placed.waitFromService('tool.result', (message) => message.call_id === toolCall.call_id, 10_000);
        expect(JSON.parse(resent.result as string)).toMatchObject({ order_id: 'ORD-12345', status: 'shipped' });
      },
    },
    agentGone: { fault: (placed) => placed.provider.injectFault(placed.callSid, 'end-session'), endReason: 'failure' },
  },
  openai: {
    sessionEnded: {
      what: 'goes on in a new session built from the call',
      async then(placed, _service, since) {
        await sessionOpenedAfter(placed, since);
        await waitFor(() => placed.fromService('session.update').length >= 2, { what: 'the new session configured' });
        const audio = placed.twilio.stats().received.mediaFrames;
        await placed.say('Where is my order ORD-12345?');
        await placed.waitToService('transcript.agent', (message) => String(message.text).includes('1Z999AA10123456784'), 10_000);
        expect(placed.twilio.stats().received.mediaFrames).toBeGreaterThan(audio);
        expect(placed.twilio.currentPhase).not.toBe('closed');
      },
    },
    swallowedResult: {
      what: 'tells the new session what the tool established',
      async then(placed, toolCall, since) {
        await sessionOpenedAfter(placed, since);
        await placed.waitFromService('session.update', (message) =>
          String((message.session as { system_prompt?: string }).system_prompt).includes('Order in question: ORD-12345'),
        );
        expect(placed.fromService('tool.result').filter((message) => message.call_id === toolCall.call_id)).toEqual([]);
      },
    },
    // The session expires and no new one can be opened.
    agentGone: {
      async fault(placed) {
        await placed.provider.injectFault(placed.callSid, 'refuse-connections');
        await placed.provider.injectFault(placed.callSid, 'end-session');
      },
      endReason: 'provider-lost',
    },
  },
};

describe.each(PROVIDERS_UNDER_TEST)('live-path faults: what the caller hears and what is recorded ($name)', (provider) => {
  let service: TestApp;
  let control: LocalProviderControlClient;
  const placed: PlacedCall[] = [];
  const dialled: SimulatedTwilioCall[] = [];
  const faults = FAULTS[provider.name];

  beforeAll(async () => {
    service = await startTestApp({ ...FAST_FAILURES, ...provider.env }, `faults-${provider.name}`);
    control = await LocalProviderControlClient.connect(`${service.wsBaseUrl}/local-provider/control`);
  });
  afterEach(async () => {
    await Promise.all(placed.splice(0).map((call) => call.hangUp()));
    for (const twilio of dialled.splice(0)) twilio.dispose();
  });
  afterAll(async () => {
    await control.close();
    await service.close();
  });

  const call = async () => {
    const placedCall = await placeCall(service);
    placed.push(placedCall);
    return placedCall;
  };

  /** A call whose provider misbehaves from the start (no session-opened to wait for). */
  const dialWithFault = async (fault: LocalProviderFault) => {
    const callSid = newCallSid();
    await control.injectFault(callSid, fault);
    const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, callSid });
    dialled.push(twilio);
    await twilio.dial();
    return twilio;
  };

  it('apologises and ends the call when the provider never says session.ready', async () => {
    const twilio = await dialWithFault('withhold-ready');
    const started = Date.now();
    const closed = await twilio.waitForClose(15_000);
    // The recovery deadline, then the apology played in real time.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(closed.by).toBe('service');
    expect(twilio.stats().received.audioMs).toBeGreaterThan(3000);
    const stored = await storedCall(service, twilio.stats().callSid);
    expect(stored).toMatchObject({ endReason: 'provider-lost' });
    expect(stored.events.find((event) => event.type === 'escalation')).toMatchObject({ reason: 'voice agent unavailable' });
  });

  it('apologises and ends the call when the provider cannot be reached again after a drop', async () => {
    const placedCall = await call();
    await placedCall.twilio.waitForMedia(5, 10_000);
    await control.injectFault(placedCall.callSid, 'refuse-connections');
    await control.dropSocket(placedCall.callSid);
    const audioBefore = placedCall.twilio.stats().received.audioMs;
    const closed = await placedCall.twilio.waitForClose(15_000);
    expect(closed.by).toBe('service');
    expect(placedCall.twilio.stats().received.audioMs - audioBefore).toBeGreaterThan(3000);
    expect(await storedCall(service, placedCall.callSid)).toMatchObject({ endReason: 'provider-lost' });
  });

  it(`${faults.sessionEnded.what} when the provider ends the session mid-call`, async () => {
    const placedCall = await call();
    await placedCall.twilio.waitForMedia(5, 10_000);
    const since = placedCall.mark();
    await control.injectFault(placedCall.callSid, 'end-session');
    await faults.sessionEnded.then(placedCall, service, since);
  });

  it('notices a provider socket that went silent (no FIN, no RST, no pong) and does not leave the caller in silence', async () => {
    const placedCall = await call();
    await placedCall.twilio.waitForMedia(5, 10_000);
    await control.injectFault(placedCall.callSid, 'black-hole');
    const started = Date.now();
    // Silence noticed within two ping intervals, then the recovery deadline, the "one moment" and the apology.
    const closed = await placedCall.twilio.waitForClose(20_000);
    expect(closed.by).toBe('service');
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(await storedCall(service, placedCall.callSid)).toMatchObject({ endReason: 'provider-lost' });
  });

  it(`${faults.swallowedResult.what} when a dying provider socket swallowed a tool result`, async () => {
    const placedCall = await call();
    await control.injectFault(placedCall.callSid, 'lose-incoming');
    await placedCall.provider.forceToolCall(placedCall.callSid, 'lookup_order', { order_id: 'ORD-12345' });
    const journal = service.app.get(CallJournalStore);
    const toolCall = await placedCall.waitToService('tool.call');
    // The reply carrying the call has ended and the tool has answered, so the service has sent the
    // result (it goes at reply.done, or as soon as the tool answers after it); the provider never saw it.
    const toolCallAt = indexOfObserved(
      placedCall,
      'provider-to-client',
      (message) => message.type === 'tool.call' && message.call_id === toolCall.call_id,
    );
    await waitFor(
      () =>
        placedCall
          .observed()
          .some((event, index) => index > toolCallAt && event.direction === 'provider-to-client' && event.message.type === 'reply.done'),
      { what: 'the reply carrying the tool call to end' },
    );
    await waitFor(async () => (await journal.read(placedCall.callSid))?.events.some((event) => event.type === 'tool.result'), {
      what: 'the tool result to be sent',
    });
    expect(placedCall.fromService('tool.result')).toEqual([]);
    const since = placedCall.mark();
    await control.dropSocket(placedCall.callSid);
    await faults.swallowedResult.then(placedCall, toolCall, since);
  });
});

describe('Media Streams that never start, or stop sending (whichever provider)', () => {
  let service: TestApp;
  const dialled: SimulatedTwilioCall[] = [];

  beforeAll(async () => {
    service = await startTestApp(FAST_FAILURES, 'idle-streams');
  });
  afterAll(async () => {
    for (const twilio of dialled.splice(0)) twilio.dispose();
    await service.close();
  });

  it('closes a stream that never sends start, and one that starts but sends no audio', async () => {
    const idle = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = new WebSocket(`${service.wsBaseUrl}/twilio/media-stream`);
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        return socket;
      }),
    );
    const silentCall = new SimulatedTwilioCall({ baseUrl: service.baseUrl, autoMedia: false });
    dialled.push(silentCall);
    await silentCall.dial();
    await waitFor(() => idle.every((socket) => socket.readyState === WebSocket.CLOSED), { what: 'idle sockets closed', timeoutMs: 5_000 });
    await silentCall.waitForClose(5_000);
    expect(await storedCall(service, silentCall.stats().callSid)).toMatchObject({ endReason: 'stream-lost' });
    const metrics = await request(service.baseUrl).get('/metrics');
    expect(metrics.text).toMatch(/voice_agent_media_stream_errors_total\{reason="never-started"\} 20/);
    expect(metrics.text).toMatch(/voice_agent_media_stream_errors_total\{reason="media-stopped"\} 1/);
  });
});

describe.each(PROVIDERS_UNDER_TEST)('a call that ends itself ($name)', (provider) => {
  let service: TestApp;
  const placed: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ ...FAST_FAILURES, MAX_LIVE_CALLS: '2', ...provider.env }, `self-ending-${provider.name}`);
  });
  afterAll(async () => {
    await Promise.all(placed.splice(0).map((call) => call.hangUp()));
    await service.close();
  });

  it('frees the place of a call that ends itself: two escalations leave room for two more calls', async () => {
    const escalated = await placeCall(service);
    placed.push(escalated);
    await escalated.provider.forceToolCall(escalated.callSid, 'transfer_to_escalation', {
      reason: 'wants a person',
      summary: 'asked for a person',
    });
    await escalated.waitFromService('session.update', (message) =>
      String((message.session as { system_prompt?: string }).system_prompt).includes('Escalation'),
    );
    await escalated.provider.forceToolCall(escalated.callSid, 'transfer_to_human', {
      reason: 'wants a person',
      summary: 'asked for a person',
    });
    await escalated.twilio.waitForClose(10_000);

    const providerGone = await placeCall(service);
    placed.push(providerGone);
    await FAULTS[provider.name].agentGone.fault(providerGone);
    await providerGone.twilio.waitForClose(15_000);

    await waitFor(async () => (await liveCallSids(service)).length === 0, { what: 'both calls gone from the live registry' });
    const metrics = await request(service.baseUrl).get('/metrics');
    expect(metrics.text).toMatch(/^voice_agent_live_calls 0$/m);
    for (let caller = 0; caller < 2; caller++) {
      const answer = await request(service.baseUrl)
        .post('/twilio/voice')
        .type('form')
        .send({ CallSid: newCallSid(), From: '+15551234567', To: '+15557654321' })
        .expect(200);
      expect(answer.text).toContain('<Connect>');
    }
  });
});

describe('Media Streams belong to calls a webhook admitted', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'stream-tickets');
  });
  afterAll(() => service.close());

  /** A signed upgrade (the signature covers only the URL, so a captured one fits any stream) and a start. */
  const openStream = async (start: { callSid: string; customParameters: Record<string, string> }) => {
    const socket = new WebSocket(`${service.wsBaseUrl}/twilio/media-stream`, {
      headers: signedMediaStreamHeaders(service, TEST_TWILIO_AUTH_TOKEN),
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    const streamSid = `MZ${start.callSid.slice(2)}`;
    socket.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid,
        start: { streamSid, callSid: start.callSid, accountSid: 'AC0', tracks: ['inbound'], customParameters: start.customParameters },
      }),
    );
    return { socket, closed };
  };

  it('refuses a stream for a call SID no webhook admitted, even with a valid upgrade signature', async () => {
    const { closed } = await openStream({ callSid: newCallSid(), customParameters: { from: '+15550009999' } });
    expect(await closed).toBe(1008);
  });

  it('takes the caller from what the webhook saw, not from the stream, and accepts each ticket once', async () => {
    const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, authToken: TEST_TWILIO_AUTH_TOKEN, from: '+15551112222' });
    const answer = await twilio.requestTwiml();
    const parameters = answer.stream.parameters;
    expect(parameters).not.toHaveProperty('from');
    expect(answer.body).not.toContain('5551112222');

    const forged = await openStream({ callSid: parameters.callSid, customParameters: { ...parameters, from: '+15553334444' } });
    const live = await waitFor(
      async () =>
        (
          (await request(service.baseUrl).get('/calls/live').set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`)).body as {
            callSid: string;
            fromMasked: string;
          }[]
        ).find((call) => call.callSid === parameters.callSid),
      { what: 'the call live' },
    );
    expect(live.fromMasked).toBe('+1555***2222');

    // The same start again (a replay with the captured signature and token) opens nothing.
    const replay = await openStream({ callSid: parameters.callSid, customParameters: parameters });
    expect(await replay.closed).toBe(1008);
    forged.socket.close();
    twilio.dispose();
  });

  it('refuses a stream whose token is not the one its webhook issued', async () => {
    const twilio = new SimulatedTwilioCall({ baseUrl: service.baseUrl, authToken: TEST_TWILIO_AUTH_TOKEN });
    const answer = await twilio.requestTwiml();
    const { closed } = await openStream({
      callSid: answer.stream.parameters.callSid,
      customParameters: { ...answer.stream.parameters, streamToken: 'guessed' },
    });
    expect(await closed).toBe(1008);
    twilio.dispose();
  });
});

describe.each(PROVIDERS_UNDER_TEST)('a transfer to a human that Twilio cannot place ($name)', (provider) => {
  let service: TestApp;

  beforeAll(async () => {
    // A Twilio account is configured, but its REST API cannot be reached from here (or refuses the made-up account).
    service = await startTestApp(
      {
        ...FAST_FAILURES,
        TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        HUMAN_QUEUE_TARGET: '+15550001234',
        ...provider.env,
      },
      `transfer-fails-${provider.name}`,
    );
  });
  afterAll(() => service.close());

  it('keeps the caller with the agent, who is told the transfer failed', async () => {
    const placedCall = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN });
    try {
      await placedCall.provider.forceToolCall(placedCall.callSid, 'transfer_to_escalation', {
        reason: 'wants a person',
        summary: 'asked for a person',
      });
      await placedCall.waitFromService('session.update', (message) =>
        String((message.session as { system_prompt?: string }).system_prompt).includes('Escalation'),
      );
      await placedCall.provider.forceToolCall(placedCall.callSid, 'transfer_to_human', {
        reason: 'wants a person',
        summary: 'asked for a person',
      });
      const humanCall = await placedCall.waitToService('tool.call', (message) => message.name === 'transfer_to_human');
      const answer = await placedCall.waitFromService('tool.result', (message) => message.call_id === humanCall.call_id, 15_000);
      expect(JSON.parse(answer.result as string)).toMatchObject({ error: 'transfer_failed' });
      expect(placedCall.twilio.currentPhase).not.toBe('closed');
    } finally {
      await placedCall.hangUp();
    }
    const stored = await storedCall(service, placedCall.callSid);
    expect(stored.outcome).not.toBe('escalated');
    expect(stored.events.find((event) => event.type === 'escalation')).toMatchObject({ transferred: false });
  });

  it('after a provider failure: apologises, says goodbye, closes the stream and records the call as failed', async () => {
    const placedCall = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN });
    try {
      await placedCall.twilio.waitForMedia(5, 10_000);
      await FAULTS[provider.name].agentGone.fault(placedCall);
      const closed = await placedCall.twilio.waitForClose(20_000);
      expect(closed.by).toBe('service');
      // Both recorded lines played: the apology and the goodbye.
      expect(placedCall.twilio.stats().received.audioMs).toBeGreaterThan(7000);
    } finally {
      await placedCall.hangUp();
    }
    expect(await storedCall(service, placedCall.callSid)).toMatchObject({
      outcome: 'failed',
      endReason: FAULTS[provider.name].agentGone.endReason,
    });
  });
});
