import { SimulatorException, SimulatorExceptionCode } from '../../../src/simulator/simulator.exception';
import { RestControlledCall, SimulatedTwilioRest } from '../../../src/simulator/twilio-rest.simulator';
import { twilioClientAt } from './redirected-twilio-client';

const accountSid = `AC${'a'.repeat(32)}`;
const authToken = 'rest-test-token';
const callSid = `CA${'b'.repeat(32)}`;
const hangupTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

class StubCall implements RestControlledCall {
  readonly callSid = callSid;
  readonly from = '+15551230000';
  readonly to = '+15557650000';
  restStatus = 'in-progress';
  readonly redirected: string[] = [];
  refusal?: SimulatorException;

  redirect(twiml: string): void {
    if (this.refusal) throw this.refusal;
    this.redirected.push(twiml);
  }

  complete(): void {
    this.restStatus = 'completed';
  }
}

describe('SimulatedTwilioRest, through the twilio package', () => {
  let rest: SimulatedTwilioRest;
  let call: StubCall;

  beforeEach(async () => {
    rest = await SimulatedTwilioRest.start({ accountSid, authToken });
    call = new StubCall();
    rest.register(call);
  });
  afterEach(() => rest.close());

  it('listens on 127.0.0.1 and hands the TwiML of calls(sid).update to the call, answering its call resource', async () => {
    expect(rest.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = twilioClientAt(rest.url, accountSid, authToken);

    const updated = await client.calls(callSid).update({ twiml: hangupTwiml });

    expect(call.redirected).toEqual([hangupTwiml]);
    expect(updated).toMatchObject({ sid: callSid, accountSid, status: 'in-progress', from: '+15551230000', to: '+15557650000' });
    expect(updated.dateUpdated).toBeInstanceOf(Date);
    expect(rest.requests).toEqual([
      {
        method: 'POST',
        path: `/2010-04-01/Accounts/${accountSid}/Calls/${callSid}.json`,
        callSid,
        params: { Twiml: hangupTwiml },
        status: 200,
      },
    ]);
  });

  it('fetches the call, and hangs it up for status completed', async () => {
    const client = twilioClientAt(rest.url, accountSid, authToken);

    expect(await client.calls(callSid).fetch()).toMatchObject({ sid: callSid, status: 'in-progress' });
    expect(await client.calls(callSid).update({ status: 'completed' })).toMatchObject({ status: 'completed' });
    expect(call.restStatus).toBe('completed');
  });

  it.each([
    ['a wrong auth token', accountSid, 'not-the-token'],
    ['another account', `AC${'c'.repeat(32)}`, authToken],
  ])('refuses %s with 401 and code 20003, leaving the call alone', async (_case, sid, token) => {
    const client = twilioClientAt(rest.url, sid, token);

    await expect(client.calls(callSid).update({ twiml: hangupTwiml })).rejects.toMatchObject({
      status: 401,
      code: 20003,
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
    expect(call.redirected).toEqual([]);
  });

  it('refuses a request without credentials with 401 and a Basic challenge', async () => {
    const response = await fetch(`${rest.url}/2010-04-01/Accounts/${accountSid}/Calls/${callSid}.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Twiml: hangupTwiml }),
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    expect(await response.json()).toMatchObject({ code: 20003, message: 'Authenticate', status: 401 });
  });

  it('answers 404 with code 20404 for a call it did not place, and for another path', async () => {
    const client = twilioClientAt(rest.url, accountSid, authToken);

    await expect(client.calls(`CA${'d'.repeat(32)}`).update({ twiml: hangupTwiml })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.messages.list({ limit: 1 })).rejects.toMatchObject({ status: 404, code: 20404 });
    rest.unregister(callSid);
    await expect(client.calls(callSid).update({ twiml: hangupTwiml })).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(call.redirected).toEqual([]);
  });

  it('answers 400 as Twilio does for a call no longer in progress (21220) and for TwiML it cannot read (12100)', async () => {
    const client = twilioClientAt(rest.url, accountSid, authToken);

    call.refusal = new SimulatorException(SimulatorExceptionCode.NOT_CONNECTED, 'call over');
    await expect(client.calls(callSid).update({ twiml: hangupTwiml })).rejects.toMatchObject({
      status: 400,
      code: 21220,
      message: 'Call is not in-progress. Cannot redirect.',
    });
    call.refusal = new SimulatorException(SimulatorExceptionCode.BAD_TWIML, 'TwiML: no <Response>');
    await expect(client.calls(callSid).update({ twiml: '<Nope/>' })).rejects.toMatchObject({ status: 400, code: 12100 });
  });

  it('refuses an update by Url, which it does not fetch', async () => {
    const client = twilioClientAt(rest.url, accountSid, authToken);

    await expect(client.calls(callSid).update({ url: 'https://voice.example.com/twiml' })).rejects.toMatchObject({ status: 400 });
  });

  it('can listen on a given port, and close with a keep-alive client still connected', async () => {
    const port = rest.port;
    await rest.close();
    rest = await SimulatedTwilioRest.start({ accountSid, authToken, port });
    expect(rest.url).toBe(`http://127.0.0.1:${port}`);
    rest.register(call);
    const response = await fetch(`${rest.url}/2010-04-01/Accounts/${accountSid}/Calls/${callSid}.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`, Connection: 'keep-alive' },
    });
    expect(response.status).toBe(200);
  });
});
