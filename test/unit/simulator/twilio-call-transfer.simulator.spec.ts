import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { HumanBehaviour } from '../../../src/simulator/human-leg.simulator';
import {
  RejoinedEvent,
  SimulatedTwilioCall,
  SimulatedTwilioCallOptions,
  TransferEvent,
} from '../../../src/simulator/twilio-call.simulator';
import { SimulatedTwilioRest } from '../../../src/simulator/twilio-rest.simulator';
import { FakeRequest, FakeVoiceService, FakeVoiceServiceOptions } from './fake-voice-service.server';
import { twilioClientAt } from './redirected-twilio-client';

/*
 * The simulator alone, over real sockets: a fake service answers the voice webhook, the whisper
 * and the dial result, and moves the call through the real twilio REST client pointed at the
 * simulated REST API, as the service does for a warm transfer.
 */

const authToken = 'transfer-test-token';
const accountSid = `AC${'1'.repeat(32)}`;
const HUMAN = '+15550100';
const WHISPER = 'A caller is being transferred to you. Reason: fraud. Summary: card used without asking.';

type Routes = NonNullable<FakeVoiceServiceOptions['routes']>;

const hangup = (): string => new twilio.twiml.VoiceResponse().hangup().toString();
const sayOnly = (text: string): string => {
  const response = new twilio.twiml.VoiceResponse();
  response.say(text);
  return response.toString();
};

describe('SimulatedTwilioCall: TwiML sent through the REST API (warm transfer)', () => {
  let rest: SimulatedTwilioRest;
  let service: FakeVoiceService;
  const calls: SimulatedTwilioCall[] = [];

  beforeEach(async () => {
    rest = await SimulatedTwilioRest.start({ accountSid, authToken });
  });
  afterEach(async () => {
    calls.splice(0).forEach((call) => call.dispose());
    await service?.close();
    await rest.close();
  });

  const startService = async (routes: Routes, options: FakeVoiceServiceOptions = {}): Promise<FakeVoiceService> => {
    service = await new FakeVoiceService({ authToken, routes, ...options }).listen();
    return service;
  };
  const placedCall = async (human: HumanBehaviour, options: Partial<SimulatedTwilioCallOptions> = {}): Promise<SimulatedTwilioCall> => {
    const call = new SimulatedTwilioCall({
      baseUrl: service.baseUrl,
      publicBaseUrl: service.publicBaseUrl,
      authToken,
      twilioRest: rest,
      human,
      humanRingMs: 50,
      humanTalkMs: 100,
      ...options,
    });
    calls.push(call);
    await call.dial();
    await service.waitForStream();
    return call;
  };
  /** What the service does: calls(sid).update({ twiml }) with the real twilio client. */
  const transfer = (call: SimulatedTwilioCall, twiml: string) =>
    twilioClientAt(rest.url, accountSid, authToken).calls(call.callSid).update({ twiml });
  const warmTwiml = (options: { timeout?: number; sip?: boolean } = {}): string => {
    const response = new twilio.twiml.VoiceResponse();
    response.say('Connecting you to a member of our team. Please hold.');
    const dial = response.dial({
      action: `${service.publicBaseUrl}/twilio/transfer-result?transferId=t1`,
      method: 'POST',
      timeout: options.timeout ?? 5,
    });
    const whisperUrl = `${service.publicBaseUrl}/twilio/transfer-whisper?transferId=t1`;
    if (options.sip) dial.sip({ url: whisperUrl, method: 'POST' }, 'sip:desk@pbx.example.com?X-Reason=fraud&X-Call=CA1');
    else dial.number({ url: whisperUrl, method: 'POST' }, HUMAN);
    return response.toString();
  };
  const requestTo = (path: string): FakeRequest | undefined => service.requests.find((request) => request.path.startsWith(path));
  const transferEvents = (call: SimulatedTwilioCall): TransferEvent[] => {
    const seen: TransferEvent[] = [];
    call.on('transfer', (event) => seen.push(event));
    return seen;
  };
  const rejoinEvents = (call: SimulatedTwilioCall): RejoinedEvent[] => {
    const seen: RejoinedEvent[] = [];
    call.on('rejoined', (event) => seen.push(event));
    return seen;
  };

  it('nobody answers: the stream gets stop and closes, the signed result says no-answer, and the caller rejoins on a new Media Stream', async () => {
    await startService({
      '/twilio/transfer-whisper': () => ({ status: 500, body: 'the whisper must not be requested' }),
      '/twilio/transfer-result': (request) =>
        service.streamTwiml({ callSid: request.params.CallSid, streamToken: 'second-ticket' }, 'Sorry, nobody could take your call.'),
    });
    const call = await placedCall('no-answer');
    const first = await service.waitForStream();
    const firstStreamSid = call.streamSid;
    const transfers = transferEvents(call);
    const rejoins = rejoinEvents(call);

    const updated = await transfer(call, warmTwiml());
    const rejoined = await call.waitForRejoin(3000);

    expect(updated).toMatchObject({ sid: call.callSid, status: 'in-progress' });
    // the first stream: stop, then closed by Twilio's side
    const stop = first.received[first.received.length - 1];
    expect(stop).toEqual({
      event: 'stop',
      sequenceNumber: expect.stringMatching(/^\d+$/),
      streamSid: firstStreamSid,
      stop: { accountSid, callSid: call.callSid },
    });
    expect(first).toMatchObject({ closed: true, closeCode: 1000 });
    expect(call.stoppedStreams).toEqual([{ streamSid: firstStreamSid, closed: { code: 1000, reason: 'call redirected', by: 'caller' } }]);

    // the dial result, signed over the URL in the TwiML
    const result = requestTo('/twilio/transfer-result?transferId=t1');
    expect(result).toMatchObject({
      signatureValid: true,
      params: {
        CallSid: call.callSid,
        AccountSid: accountSid,
        CallStatus: 'in-progress',
        DialCallStatus: 'no-answer',
        DialCallSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
      },
    });
    expect(result?.params.DialCallDuration).toBeUndefined();
    expect(requestTo('/twilio/transfer-whisper')).toBeUndefined();

    // the new stream: same call, new streamSid, connected, start with the new Parameters, then media from chunk 1
    expect(rejoined.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    expect(rejoined.streamSid).not.toBe(firstStreamSid);
    expect(call.streamSid).toBe(rejoined.streamSid);
    const second = await service.waitFor(
      () => service.streams[1]?.events('media').length >= 2 && service.streams[1],
      2000,
      'media on the new stream',
    );
    expect(second.received[0]).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(second.received[1]).toMatchObject({
      event: 'start',
      sequenceNumber: '1',
      streamSid: rejoined.streamSid,
      start: { callSid: call.callSid, accountSid, customParameters: { callSid: call.callSid, streamToken: 'second-ticket' } },
    });
    expect(second.events('media')[0]).toMatchObject({
      sequenceNumber: '2',
      streamSid: rejoined.streamSid,
      media: { chunk: '1', timestamp: '0' },
    });
    expect(service.upgradeSignatures.map((upgrade) => upgrade.valid)).toEqual([true, true]);

    // marks are echoed on the new stream as before
    second.sendAudio(5);
    second.sendMark('after-rejoin');
    await call.waitForMarkEcho('after-rejoin', 1000);
    await service.waitFor(() => second.events('mark')[0], 1000, 'the echo on the new stream');
    expect(second.events('mark')[0]).toMatchObject({ streamSid: rejoined.streamSid, mark: { name: 'after-rejoin' } });

    expect(transfers).toEqual([{ twiml: warmTwiml(), kind: 'dial', target: HUMAN, whisper: undefined, dialStatus: 'no-answer' }]);
    expect(rejoins).toEqual([rejoined]);
    expect(call.transfers[0]).toMatchObject({ dialStatus: 'no-answer', rejoinedStreamSid: rejoined.streamSid, action: { status: 200 } });
    expect(call.callerHeard).toEqual(['Connecting you to a member of our team. Please hold.', 'Sorry, nobody could take your call.']);
    expect(call.currentPhase).toBe('streaming');
    expect(call.protocolViolations).toEqual([]);

    // and the same call object hangs up as before
    await call.hangup();
    await service.waitFor(() => second.closed, 1000, 'the new stream to close');
    expect(second.events('stop')).toHaveLength(1);
    expect(call.stats()).toMatchObject({ phase: 'closed', streamSid: rejoined.streamSid, closed: { by: 'caller', code: 1000 } });
  });

  it('stops the stream the same way while the REST request is still open (redirectStop: before-answer)', async () => {
    await startService({ '/twilio/transfer-result': (request) => service.streamTwiml({ callSid: request.params.CallSid }) });
    const call = await placedCall('no-answer', { redirectStop: 'before-answer' });

    await transfer(call, warmTwiml());
    await call.waitForRejoin(3000);

    expect(service.streams[0].events('stop')).toHaveLength(1);
    expect(call.stoppedStreams).toHaveLength(1);
  });

  it('the human answers: the signed whisper request, its Say kept, a while together, then the result completed and Hangup', async () => {
    await startService({
      '/twilio/transfer-whisper': () => sayOnly(WHISPER),
      '/twilio/transfer-result': () => hangup(),
    });
    const call = await placedCall('answers');
    const transfers = transferEvents(call);

    await transfer(call, warmTwiml());
    const closed = await call.waitForClose(3000);

    expect(closed).toEqual({ code: 1000, reason: 'hangup', by: 'service' });
    expect(call.whisperHeard).toBe(WHISPER);
    const whisper = requestTo('/twilio/transfer-whisper?transferId=t1');
    expect(whisper).toMatchObject({
      signatureValid: true,
      params: {
        CallSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
        ParentCallSid: call.callSid,
        AccountSid: accountSid,
        From: call.from,
        To: HUMAN,
        CallStatus: 'in-progress',
      },
    });
    expect(whisper?.params.CallSid).not.toBe(call.callSid);
    const result = requestTo('/twilio/transfer-result?transferId=t1');
    expect(result).toMatchObject({
      signatureValid: true,
      params: { CallSid: call.callSid, DialCallStatus: 'completed', DialCallSid: whisper?.params.CallSid, DialCallDuration: '1' },
    });
    expect(service.requests.map((request) => request.path.split('?')[0])).toEqual([
      '/twilio/voice',
      '/twilio/transfer-whisper',
      '/twilio/transfer-result',
    ]);
    expect(transfers).toEqual([{ twiml: warmTwiml(), kind: 'dial', target: HUMAN, whisper: WHISPER, dialStatus: 'answered' }]);
    expect(call.transfers[0]).toMatchObject({ dialStatus: 'completed', dialCallDurationSeconds: 1 });
    expect(call.transfers[0].rejoinedStreamSid).toBeUndefined();
    expect(service.streams).toHaveLength(1);
    expect(call.currentPhase).toBe('closed');

    // Twilio refuses to redirect a call that is over
    await expect(transfer(call, hangup())).rejects.toMatchObject({ status: 400, code: 21220 });
  });

  it.each(['busy', 'failed'] as const)('a %s human: the result carries that status, and Hangup ends the call', async (human) => {
    await startService({ '/twilio/transfer-result': () => hangup() });
    const call = await placedCall(human);

    await transfer(call, warmTwiml());
    await call.waitForClose(3000);

    expect(requestTo('/twilio/transfer-result')?.params.DialCallStatus).toBe(human);
    expect(call.transfers[0].dialStatus).toBe(human);
    expect(call.rejoins).toEqual([]);
  });

  it('rings no longer than the Dial timeout: a human slower than that did not answer', async () => {
    await startService({ '/twilio/transfer-result': () => hangup() });
    const call = await placedCall('answers', { humanRingMs: 60_000 });

    const startedAt = performance.now();
    await transfer(call, warmTwiml({ timeout: 1 }));
    const settled = await call.waitForTransfer(3000);

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(settled).toMatchObject({ dialStatus: 'no-answer', whisper: undefined });
    expect(requestTo('/twilio/transfer-whisper')).toBeUndefined();
  });

  it('signs over the public URL the TwiML names and sends to the service, for a SIP target and the rejoin', async () => {
    await startService(
      {
        '/twilio/transfer-whisper': () => sayOnly(WHISPER),
        '/twilio/transfer-result': () => service.streamTwiml({ streamToken: 'again' }),
      },
      { publicBaseUrl: 'https://voice.example.test', streamQuery: '?tenant=a' },
    );
    const call = await placedCall('answers');

    await transfer(call, warmTwiml({ sip: true }));
    await call.waitForRejoin(3000);

    expect(call.transfers[0]).toMatchObject({ target: 'sip:desk@pbx.example.com?X-Reason=fraud&X-Call=CA1', dialStatus: 'completed' });
    expect(requestTo('/twilio/transfer-whisper')).toMatchObject({
      signatureValid: true,
      params: { To: 'sip:desk@pbx.example.com?X-Reason=fraud&X-Call=CA1' },
    });
    expect(requestTo('/twilio/transfer-result')).toMatchObject({ signatureValid: true, params: { DialCallStatus: 'completed' } });
    expect(service.upgradeSignatures).toEqual([
      expect.objectContaining({ url: 'wss://voice.example.test/twilio/media-stream?tenant=a', valid: true }),
      expect.objectContaining({ url: 'wss://voice.example.test/twilio/media-stream?tenant=a', valid: true }),
    ]);
  });

  it('a cold Dial (no action): the caller stays with the human, then the call ends with no callback', async () => {
    await startService({});
    const call = await placedCall('answers');
    const response = new twilio.twiml.VoiceResponse();
    response.dial().number(HUMAN);

    await transfer(call, response.toString());
    const closed = await call.waitForClose(3000);

    expect(closed).toEqual({ code: 1000, reason: 'the <Dial> ended (completed)', by: 'caller' });
    expect(call.transfers).toEqual([expect.objectContaining({ kind: 'dial', target: HUMAN, dialStatus: 'completed', whisper: undefined })]);
    expect(service.requests.map((request) => request.path)).toEqual(['/twilio/voice']);
  });

  it('an Enqueue: the queue and its Task attributes are noted and the call ends', async () => {
    await startService({});
    const call = await placedCall('answers');
    const transfers = transferEvents(call);
    const response = new twilio.twiml.VoiceResponse();
    response.say('Please hold for the next available person.');
    response.enqueue({}, 'support-humans').task({}, JSON.stringify({ reason: 'fraud', call_sid: call.callSid }));

    await transfer(call, response.toString());
    const closed = await call.waitForClose(3000);

    expect(closed).toMatchObject({ reason: 'enqueued in support-humans' });
    expect(transfers).toEqual([expect.objectContaining({ kind: 'enqueue', target: 'support-humans' })]);
    expect(call.transfers[0].enqueue).toMatchObject({
      queue: 'support-humans',
      taskAttributes: { reason: 'fraud', call_sid: call.callSid },
    });
    expect(call.callerHeard).toEqual(['Please hold for the next available person.']);
  });

  it('a whisper the service refuses fails the dial; the result says failed', async () => {
    await startService({
      '/twilio/transfer-whisper': () => ({ status: 500, body: 'boom' }),
      '/twilio/transfer-result': () => hangup(),
    });
    const call = await placedCall('answers');

    await transfer(call, warmTwiml());
    await call.waitForClose(3000);

    expect(requestTo('/twilio/transfer-result')?.params.DialCallStatus).toBe('failed');
    expect(call.transfers[0]).toMatchObject({ dialStatus: 'failed', error: expect.stringContaining('answered 500') });
    expect(call.twimlErrors).toEqual([expect.objectContaining({ reason: expect.stringContaining('answered 500') })]);
  });

  it('a dial result the service cannot answer ends the call as an application error', async () => {
    await startService({ '/twilio/transfer-result': () => ({ status: 403, body: 'forbidden' }) });
    const call = await placedCall('no-answer');

    await transfer(call, warmTwiml());
    const closed = await call.waitForClose(3000);

    expect(closed).toMatchObject({ code: 1011, by: 'service', reason: expect.stringContaining('answered 403') });
    expect(call.transfers[0]).toMatchObject({ dialStatus: 'no-answer', action: { status: 403 }, error: expect.stringContaining('403') });
  });

  it('TwiML that Twilio cannot read is refused by the REST API, and the stream goes on', async () => {
    await startService({});
    const call = await placedCall('answers');

    await expect(transfer(call, '<Response><Dial></Response>')).rejects.toMatchObject({ status: 400, code: 12100 });

    expect(call.currentPhase).toBe('streaming');
    expect(service.streams[0].closed).toBe(false);
  });

  it('the caller hanging up while the human rings ends the call; nothing is posted afterwards', async () => {
    await startService({ '/twilio/transfer-result': () => hangup() });
    const call = await placedCall('no-answer', { humanRingMs: 150 });

    await transfer(call, warmTwiml());
    await call.waitFor((current) => current.currentPhase === 'redirected' && current.transfers.length === 1, 2000, 'the ringing');
    await call.hangup();

    expect(call.stats()).toMatchObject({ phase: 'closed', closed: { reason: 'caller hung up', by: 'caller' } });
    // proving an absence takes a wait: past the ring, when the result would have been posted
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestTo('/twilio/transfer-result')).toBeUndefined();
  });
});
