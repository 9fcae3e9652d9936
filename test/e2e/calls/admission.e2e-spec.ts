import request from 'supertest';
import { CallSessionService } from '../../../src/sessions/call-session.service';
import { CallerHistoryService } from '../../../src/caller-history/caller-history.service';
import { newCallSid, placeCall } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

const voiceWebhook = (service: TestApp) =>
  request(service.baseUrl)
    .post('/twilio/voice')
    .type('form')
    .send({ CallSid: newCallSid(), From: '+15551234567', To: '+15557654321' })
    .expect(200);

/** One call at a time, so the second caller meets the limit. */
const startWithRoomForOneCall = (label: string) => startTestApp({ MAX_LIVE_CALLS: '1', LOCAL_PROVIDER_MS_PER_WORD: '30' }, label);

describe('call admission', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startWithRoomForOneCall('admission');
  });
  afterAll(() => service.close());

  it('answers busy once the live-call limit is reached, and takes calls again when one ends', async () => {
    const first = await placeCall(service);
    try {
      const refused = await voiceWebhook(service);
      expect(refused.text).toContain('<Reject reason="busy"/>');
      const metrics = await request(service.baseUrl).get('/metrics');
      expect(metrics.text).toMatch(/voice_agent_calls_refused_total\{reason="at-capacity"\} [1-9]/);
    } finally {
      await first.hangUp();
    }
    await waitFor(async () => (await voiceWebhook(service)).text.includes('<Connect>'), { what: 'calls admitted again' });
  });

  it('holds a place for a call the webhook admitted, so a second caller hears busy before being answered', async () => {
    // The previous test's final webhook holds the only place until its stream starts or the hold lapses.
    expect((await voiceWebhook(service)).text).toContain('<Reject reason="busy"/>');
  });
});

describe('call admission while a call is starting', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startWithRoomForOneCall('admission-starting');
  });
  afterAll(() => service.close());

  it('keeps the place of a call whose stream has started but is not live yet', async () => {
    // Hold the first call between stream start and going live (its caller history loading).
    const history = service.app.get(CallerHistoryService);
    let releaseHistory!: () => void;
    const historyGate = new Promise<void>((resolve) => (releaseHistory = resolve));
    const historyLoads = jest.spyOn(history, 'load').mockImplementationOnce(async () => {
      await historyGate;
      return null;
    });
    const first = placeCall(service);
    try {
      await waitFor(() => historyLoads.mock.calls.length > 0, { what: 'the first call loading its history' });
      expect((await voiceWebhook(service)).text).toContain('<Reject reason="busy"/>');
    } finally {
      releaseHistory();
      await (await first).hangUp();
      historyLoads.mockRestore();
    }
  });
});

describe('graceful drain', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'drain');
  });
  afterAll(() => service.close());

  it('turns new calls away and reports not ready while a live call finishes undisturbed', async () => {
    const live = await placeCall(service);
    const drained = service.app.get(CallSessionService).drain(20_000);

    expect((await voiceWebhook(service)).text).toContain('<Reject reason="busy"/>');
    await request(service.baseUrl).get('/ready').expect(503);
    await request(service.baseUrl).get('/health').expect(200);

    const frames = live.twilio.stats().received.mediaFrames;
    await live.say('Where is my order ORD-12345?');
    await live.waitFromService('tool.result');
    await live.twilio.waitFor((twilio) => twilio.stats().received.mediaFrames > frames, 10_000, 'audio during the drain');

    await live.hangUp();
    await expect(drained).resolves.toBe(0);
  });
});
