import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { MULAW_SILENCE_FRAME } from '../../../src/simulator/media-stream-frame.builder';
import { SimulatorExceptionCode } from '../../../src/simulator/simulator.exception';
import { SimulatedTwilioCall, SimulatedTwilioCallOptions } from '../../../src/simulator/twilio-call.simulator';
import { FakeVoiceService, FakeVoiceServiceOptions } from './fake-voice-service.server';

const authToken = 'sim-test-token';

describe('SimulatedTwilioCall over real sockets', () => {
  let service: FakeVoiceService;
  const calls: SimulatedTwilioCall[] = [];

  const startService = async (options: FakeVoiceServiceOptions = {}): Promise<FakeVoiceService> => {
    service = await new FakeVoiceService({ authToken, ...options }).listen();
    return service;
  };
  const simulatedCall = (options: Partial<SimulatedTwilioCallOptions> = {}): SimulatedTwilioCall => {
    const call = new SimulatedTwilioCall({ baseUrl: service.baseUrl, authToken, ...options });
    calls.push(call);
    return call;
  };

  afterEach(async () => {
    calls.splice(0).forEach((call) => call.dispose());
    await service?.close();
  });

  it('answers like Twilio: signed webhook, TwiML parameters, connected, start, then 20 ms media frames', async () => {
    await startService();
    const call = simulatedCall({ from: '+15550001111', to: '+15550002222' });

    await call.dial();
    const stream = await service.waitForStream();
    await service.waitFor(() => stream.events('media').length >= 3, 2000, 'three media frames');

    const webhook = service.requests[0];
    expect(webhook).toMatchObject({ path: '/twilio/voice', signatureValid: true });
    expect(webhook.params).toMatchObject({
      CallSid: call.callSid,
      AccountSid: call.accountSid,
      From: '+15550001111',
      To: '+15550002222',
      CallStatus: 'ringing',
      Direction: 'inbound',
    });
    expect(call.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(service.upgradeSignatures).toEqual([expect.objectContaining({ valid: true })]);

    const [connected, start, ...media] = stream.received;
    expect(connected).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(start).toEqual({
      event: 'start',
      sequenceNumber: '1',
      streamSid: call.streamSid,
      start: {
        streamSid: call.streamSid,
        accountSid: call.accountSid,
        callSid: call.callSid,
        tracks: ['inbound'],
        customParameters: { from: '+15550001111', callSid: call.callSid, note: 'Tom & Jerry "quoted"' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    expect(call.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    expect(media.slice(0, 3)).toEqual(
      [0, 1, 2].map((index) => ({
        event: 'media',
        sequenceNumber: String(index + 2),
        streamSid: call.streamSid,
        media: { track: 'inbound', chunk: String(index + 1), timestamp: String(index * 20), payload: MULAW_SILENCE_FRAME },
      })),
    );
    expect(Buffer.from(MULAW_SILENCE_FRAME, 'base64')).toEqual(Buffer.alloc(160, 0xff));
  });

  it('sends caller audio in real time, not faster', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const startedAt = performance.now();

    await call.waitFor((current) => current.stats().sent.mediaFrames >= 26, 3000, '26 frames');
    const elapsed = performance.now() - startedAt;

    // 26 frames: the first goes at 0 ms, the 26th at 500 ms
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(900);
  });

  it('connects to our host when the TwiML names the public one, signing over the public wss URL', async () => {
    await startService({ publicBaseUrl: 'https://voice.example.test', streamQuery: '?tenant=a&b=c' });
    const call = simulatedCall({ publicBaseUrl: 'https://voice.example.test' });

    await call.dial();

    expect(call.twiml?.stream.url).toBe('wss://voice.example.test/twilio/media-stream?tenant=a&b=c');
    expect(service.requests[0].signatureValid).toBe(true);
    expect(service.upgradeSignatures).toEqual([
      { url: 'wss://voice.example.test/twilio/media-stream?tenant=a&b=c', signature: expect.any(String), valid: true },
    ]);
    await service.waitForStream();
  });

  it.each([
    ['a forged signature', { signature: 'invalid' as const }],
    ['no signature', { signature: 'omit' as const }],
    ['the wrong public URL', { publicBaseUrl: 'https://elsewhere.example.test' }],
  ])('gets a 403 for the webhook with %s', async (_case, options) => {
    await startService();
    const call = simulatedCall(options);

    await expect(call.dial()).rejects.toMatchObject({ code: SimulatorExceptionCode.WEBHOOK_REJECTED, status: 403 });
    expect(service.streams).toEqual([]);
  });

  it('reports a refused Media Stream upgrade with its status', async () => {
    await startService({ streamStatus: 403 });
    const call = simulatedCall();

    await expect(call.dial()).rejects.toMatchObject({ code: SimulatorExceptionCode.STREAM_REJECTED, status: 403 });
    await call.waitForClose(1000);
  });

  it('reports an unreachable service', async () => {
    await startService();
    const baseUrl = service.baseUrl;
    await service.close();
    const call = new SimulatedTwilioCall({ baseUrl, requestTimeoutMs: 1000 });

    await expect(call.dial()).rejects.toMatchObject({ code: SimulatorExceptionCode.WEBHOOK_FAILED });
    service = await new FakeVoiceService().listen();
  });

  it('echoes a mark only after the audio before it has played', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const stream = await service.waitForStream();

    stream.sendAudio(10); // 200 ms
    stream.sendMark('reply-1');
    const mark = await call.waitForMarkEcho('reply-1', 2000);

    expect((mark.echoedAt as number) - mark.receivedAt).toBeGreaterThanOrEqual(190);
    expect(mark.cleared).toBe(false);
    const echo = await service.waitFor(() => stream.events('mark')[0], 1000, 'the mark echo');
    expect(echo).toEqual({
      event: 'mark',
      sequenceNumber: expect.stringMatching(/^\d+$/),
      streamSid: call.streamSid,
      mark: { name: 'reply-1' },
    });
    expect(call.stats().received).toMatchObject({ mediaFrames: 10, mediaBytes: 1600, audioMs: 200, marks: 1 });
    expect(call.protocolViolations).toEqual([]);
  });

  it('echoes a mark at once when no audio is queued', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const stream = await service.waitForStream();

    stream.sendMark('nothing-queued');
    const mark = await call.waitForMarkEcho('nothing-queued', 1000);

    expect((mark.echoedAt as number) - mark.receivedAt).toBeLessThan(20);
  });

  it('on clear drops queued audio and echoes pending marks immediately', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const stream = await service.waitForStream();

    stream.sendAudio(100); // 2 s
    stream.sendMark('end-of-reply');
    await call.waitFor((current) => current.marks.length === 1, 1000, 'the mark');
    stream.sendClear();
    await call.waitForClear(1, 1000);
    const mark = await call.waitForMarkEcho('end-of-reply', 200);

    expect(mark.cleared).toBe(true);
    expect(call.clears).toEqual([{ at: expect.any(Number), droppedMs: expect.any(Number), marks: ['end-of-reply'] }]);
    expect(call.clears[0].droppedMs).toBeGreaterThan(1500);
    expect(call.stats().playback).toMatchObject({ queuedMs: 0, pendingMarks: [] });
    await service.waitFor(() => stream.events('mark').length === 1, 1000, 'the mark echo');
  });

  it('on clear echoes a mark whose audio has already played as played, even before its timer fires', async () => {
    await startService();
    let skippedMs = 0;
    const call = simulatedCall({ now: () => performance.now() + skippedMs });
    await call.dial();
    const stream = await service.waitForStream();

    stream.sendAudio(10); // 200 ms
    stream.sendMark('played');
    stream.sendAudio(50); // 1 s more
    stream.sendMark('dropped');
    await call.waitFor((current) => current.marks.length === 2, 1000, 'both marks');
    skippedMs = 500; // the clock moves past the first mark while its timer has yet to fire
    stream.sendClear();
    await call.waitForClear(1, 1000);

    expect(call.marks.map(({ name, cleared }) => ({ name, cleared }))).toEqual([
      { name: 'played', cleared: false },
      { name: 'dropped', cleared: true },
    ]);
    expect(call.clears[0].marks).toEqual(['dropped']);
    await service.waitFor(() => stream.events('mark').length === 2, 1000, 'both echoes');
  });

  it('collects every frame that breaks Twilio rules', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const stream = await service.waitForStream();
    const payload = Buffer.alloc(160, 0x7f).toString('base64');

    stream.send(Buffer.from([0x01, 0x02]));
    stream.send({ event: 'media', streamSid: call.streamSid, media: { payload, track: 'outbound' } });
    stream.send({ event: 'media', streamSid: 'MZwrong', media: { payload } });
    stream.send({ event: 'mark', mark: { name: 'no-sid' } });
    stream.send({ event: 'speak', streamSid: call.streamSid });
    stream.send('not json');
    await call.waitFor((current) => current.protocolViolations.length >= 6, 1000, 'six violations');

    expect(call.protocolViolations.map((violation) => violation.reason)).toEqual([
      expect.stringMatching(/binary frame/),
      expect.stringMatching(/extra fields: media\.track/),
      expect.stringMatching(/wrong streamSid/),
      expect.stringMatching(/mark without streamSid/),
      expect.stringMatching(/unknown event "speak"/),
      expect.stringMatching(/not JSON/),
    ]);
    expect(call.protocolViolations[0].frame).toBe('<2 binary bytes>');
  });

  it('sends dtmf, and on hang-up a stop frame before closing', async () => {
    await startService();
    const call = simulatedCall({ autoMedia: false });
    await call.dial();
    const stream = await service.waitForStream();

    call.dtmf('7');
    await call.hangup();
    await service.waitFor(() => stream.closed, 1000, 'the socket to close');

    expect(stream.received.map((frame) => frame.event)).toEqual(['connected', 'start', 'dtmf', 'stop']);
    expect(stream.received[2]).toEqual({
      event: 'dtmf',
      streamSid: call.streamSid,
      sequenceNumber: '2',
      dtmf: { track: 'inbound_track', digit: '7' },
    });
    expect(stream.received[3]).toEqual({
      event: 'stop',
      sequenceNumber: '3',
      streamSid: call.streamSid,
      stop: { accountSid: call.accountSid, callSid: call.callSid },
    });
    expect(call.stats()).toMatchObject({ phase: 'closed', closed: { by: 'caller', code: 1000 } });
    expect(() => call.dtmf('1')).toThrow(expect.objectContaining({ code: SimulatorExceptionCode.NOT_CONNECTED }));
  });

  it('notices when the service ends the stream', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();
    const stream = await service.waitForStream();

    stream.socket.close(1000, 'transferred');
    const closed = await call.waitForClose(1000);

    expect(closed).toEqual({ code: 1000, reason: 'transferred', by: 'service' });
  });

  it('posts a signed status callback with the call duration', async () => {
    await startService();
    const call = simulatedCall();
    await call.dial();

    const answer = await call.postStatus('completed');

    expect(answer.status).toBe(204);
    const status = service.requests.find((request) => request.path === '/twilio/status');
    expect(status).toMatchObject({ signatureValid: true, params: { CallSid: call.callSid, CallStatus: 'completed', CallDuration: '0' } });
    expect(twilio.validateRequest(authToken, status?.signature ?? '', `${service.baseUrl}/twilio/status`, status?.params ?? {})).toBe(true);
  });

  it('takes a pluggable audio source and frame builders, and raw frames for misuse', async () => {
    await startService();
    const call = simulatedCall({
      audioSource: (chunkIndex) => Buffer.alloc(160, chunkIndex).toString('base64'),
      frameBuilders: {
        connected: () => null,
        media: (context, input) =>
          input.chunk === 2
            ? null
            : { event: 'media', sequenceNumber: context.sequenceNumber, streamSid: context.streamSid, media: { payload: input.payload } },
      },
    });
    await call.dial();
    const stream = await service.waitForStream();
    await service.waitFor(() => stream.events('media').length >= 3, 2000, 'three media frames');
    call.sendRaw('{"event":"bogus"}');
    await service.waitFor(() => stream.rawFrames.includes('{"event":"bogus"}'), 1000, 'the raw frame');

    expect(stream.received[0].event).toBe('start');
    const media = stream.events('media');
    expect(media.slice(0, 2).map((frame) => Buffer.from(frame.media?.payload ?? '', 'base64')[0])).toEqual([0, 2]);
    expect(media.slice(0, 2).map((frame) => frame.sequenceNumber)).toEqual(['2', '3']);
  });
});
