import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio';
import { CallEvent } from '../../../src/call-journal/call-event.types';
import { SimulatedTwilioRest } from '../../../src/simulator/twilio-rest.simulator';
import { exchange, greeted, newCallSid, placeCall, promptOf, TEST_TWILIO_AUTH_TOKEN } from '../../support/call-harness';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { summarisedCall } from '../summaries/journaled-call';
import { eventsOfType } from '../../support/call-events';

const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const HUMAN = '+15550100';

describe.each(PROVIDERS_UNDER_TEST)('warm transfer to a person at Twilio ($name)', (provider) => {
  let rest: SimulatedTwilioRest;
  let service: TestApp;

  beforeAll(async () => {
    rest = await new SimulatedTwilioRest({ accountSid: ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN }).listen();
    service = await startTestApp(
      {
        LOCAL_PROVIDER_MS_PER_WORD: '30',
        TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        // The service's real Twilio REST client, pointed at the simulated Twilio.
        TWILIO_API_BASE_URL: rest.url,
        HUMAN_QUEUE_TARGET: HUMAN,
        HUMAN_DIAL_TIMEOUT_SECONDS: '5',
        ...provider.env,
      },
      `warm-${provider.name}`,
    );
  });
  afterAll(async () => {
    await service?.close();
    await rest?.close();
  });

  it('nobody answers: the caller comes back on a new Media Stream, and the next session.update says the transfer failed', async () => {
    const placed = await greeted(await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, twilioRest: rest, human: 'no-answer' }));
    try {
      // A red flag: the service sends the caller to a person at once.
      await placed.say('Someone used my card without asking, I think this is fraud');
      const transfer = await placed.twilio.waitForTransfer(10_000);
      expect(transfer).toEqual(expect.objectContaining({ kind: 'dial', target: HUMAN, dialStatus: 'no-answer' }));
      expect(transfer.twiml).toContain('timeout="5"');
      const beforeRejoin = placed.mark();

      await placed.twilio.waitForRejoin(10_000);
      const update = await placed.waitFromService('session.update', (message) => promptOf(message).includes('did not go through'), 10_000);
      expect(promptOf(update)).toContain('Reason: transfer to a person failed (nobody answered)');
      // The escalation agent speaks to the caller on the new stream, and the conversation goes on.
      await placed.replyFinishedAfter(beforeRejoin);
      await exchange(placed, 'OK, please open a ticket then');

      const live = await request(service.baseUrl)
        .get(`/calls/${placed.callSid}`)
        .set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`)
        .expect(200);
      const events = live.body.events as CallEvent[];
      expect(eventsOfType(events, 'transfer.dialing')).toEqual([expect.objectContaining({ cause: 'escalation-rule' })]);
      expect(eventsOfType(events, 'transfer.result')).toEqual([expect.objectContaining({ status: 'no-answer' })]);
      expect(eventsOfType(events, 'escalation')).toEqual([
        expect.objectContaining({ transferred: false, detail: 'warm transfer: nobody answered' }),
      ]);
      expect(eventsOfType(events, 'call.rejoined')).toHaveLength(1);
      expect(live.body.status).toBe('live');
    } finally {
      await placed.hangUp();
    }
  });

  it('copes with Twilio stopping the Media Stream before its REST answer arrives', async () => {
    const placed = await greeted(
      await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, twilioRest: rest, human: 'no-answer', redirectStop: 'before-answer' }),
    );
    try {
      await placed.say('This is fraud, someone stole my card');
      await placed.twilio.waitForRejoin(10_000);
      await placed.waitFromService('session.update', (message) => promptOf(message).includes('did not go through'), 10_000);
    } finally {
      await placed.hangUp();
    }
  });

  it('the person answers: they hear who is calling and why first, and the call is recorded as escalated', async () => {
    const placed = await greeted(await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, twilioRest: rest, human: 'answers' }));
    try {
      await placed.say('This is fraud, someone stole my card');
      const transfer = await placed.twilio.waitForTransfer(10_000);
      expect(transfer.whisper).toContain('Reason: escalation rule: the caller said something that must reach a person ("fraud")');
      const call = await summarisedCall(service.baseUrl, placed.callSid, 15_000);
      expect(call.outcome).toBe('escalated');
      expect(eventsOfType(call.events as CallEvent[], 'escalation')).toEqual([
        expect.objectContaining({ transferred: true, detail: 'warm transfer: answered' }),
      ]);
    } finally {
      await placed.hangUp();
    }
  });
});

describe('the warm transfer callbacks', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN }, 'warm-callbacks');
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuse a dial result or a whisper request that Twilio did not sign', async () => {
    const form = { CallSid: newCallSid(), DialCallStatus: 'no-answer' };
    await request(service.baseUrl).post('/twilio/transfer-result?transferId=t1').type('form').send(form).expect(403);
    const forged = getExpectedTwilioSignature('not-the-token', `${service.baseUrl}/twilio/transfer-result?transferId=t1`, form);
    await request(service.baseUrl)
      .post('/twilio/transfer-result?transferId=t1')
      .set('X-Twilio-Signature', forged)
      .type('form')
      .send(form)
      .expect(403);
    await request(service.baseUrl).post('/twilio/transfer-whisper?transferId=t1').type('form').send({ CallSid: newCallSid() }).expect(403);
  });

  it('answer a signed result for a call this instance does not hold by hanging up, with an apology', async () => {
    const form = { CallSid: newCallSid(), DialCallStatus: 'no-answer' };
    const signature = getExpectedTwilioSignature(TEST_TWILIO_AUTH_TOKEN, `${service.baseUrl}/twilio/transfer-result?transferId=t1`, form);
    const answer = await request(service.baseUrl)
      .post('/twilio/transfer-result?transferId=t1')
      .set('X-Twilio-Signature', signature)
      .type('form')
      .send(form)
      .expect(200);
    expect(answer.text).toContain('<Hangup/>');
    expect(answer.text).toContain('Sorry, nobody could take your call');
  });
});
