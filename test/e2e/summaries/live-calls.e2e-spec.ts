import request from 'supertest';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { LIVE_CALL_RECENT_EVENTS, LiveCall } from '../../../src/summaries/live-calls.rules';
import { placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { EventStreamClient, ServerSentEvent } from './event-stream.client';
import { asSupervisor } from './journaled-call';

const SUPERVISOR = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const REPLY_DELAY_MS = 1500;

interface LiveCallsData {
  calls: LiveCall[];
  at: string;
}

const dataOf = (event: ServerSentEvent): LiveCallsData => JSON.parse(event.data) as LiveCallsData;
const callIn = (event: ServerSentEvent, callSid: string) => dataOf(event).calls.find((call) => call.callSid === callSid);

describe('live calls: GET /calls/live and the pushed GET /calls/live/events', () => {
  let service: TestApp;
  /** A second instance on the same Postgres and Redis: it holds none of the calls it shows. */
  let other: TestApp | undefined;
  const streams: EventStreamClient[] = [];
  const calls: PlacedCall[] = [];

  const openStream = async (app: TestApp, headers: Record<string, string> = SUPERVISOR) => {
    const stream = await EventStreamClient.open(`${app.baseUrl}/calls/live/events`, headers);
    streams.push(stream);
    return stream;
  };
  const liveCall = async (app: TestApp, callSid: string): Promise<LiveCall | undefined> =>
    ((await asSupervisor(app.baseUrl, '/calls/live').expect(200)).body as LiveCall[]).find((call) => call.callSid === callSid);

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'livecalls');
    other = await startTestApp(
      { DATABASE_URL: service.isolation.databaseUrl, REDIS_KEY_PREFIX: service.isolation.redisKeyPrefix },
      'livecallsother',
    );
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(async () => {
    await other?.close();
    await service.close();
  });

  it('needs a supervisor token for both, answered with the JSON error body', async () => {
    await request(service.baseUrl).get('/calls/live').expect(401);
    const anonymous = await openStream(service, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(await anonymous.body())).toMatchObject({ status: 401, message: 'A bearer token is required' });
    const unknown = await openStream(service, { Authorization: 'Bearer wrong-token-0123456789' });
    expect(unknown.status).toBe(401);
  });

  it("shows a real call's department, last words and turns, pushed to every instance's stream, and drops it after hang-up", async () => {
    const onService = await openStream(service);
    const onOther = await openStream(other!);
    expect(onService.status).toBe(200);
    expect(onService.headers).toMatchObject({ 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' });
    expect(onService.headers['cache-control']).toContain('no-cache');
    // At connect: the list, empty here.
    expect(dataOf(await onOther.waitFor((event) => event.event === 'live-calls'))).toEqual({ calls: [], at: expect.any(String) });

    const placed = await placeCall(service);
    calls.push(placed);
    const greeted = await waitFor(async () => {
      const call = await liveCall(service, placed.callSid);
      return call?.lastSaid?.speaker === 'agent' ? call : undefined;
    });
    expect(greeted).toMatchObject({ department: 'triage', turns: 0, lastResponseLatencyMs: null, pending: { tools: [], handoffTo: null } });

    await placed.provider.pace(placed.callSid, REPLY_DELAY_MS);
    await placed.say('Hello, can you hear me?');
    const heard = await waitFor(async () => {
      const call = await liveCall(service, placed.callSid);
      return call?.lastSaid?.speaker === 'caller' ? call : undefined;
    });
    expect(heard.lastSaid).toEqual({ speaker: 'caller', text: 'Hello, can you hear me?', at: expect.any(String) });
    // The instance that does not hold the call shows it the same way, from the shared registry, and pushes it.
    const pushed = await onOther.waitFor((event) => callIn(event, placed.callSid)?.lastSaid?.speaker === 'caller', 2_000);
    expect(callIn(pushed, placed.callSid)).toMatchObject({
      callSid: placed.callSid,
      instanceId: heard.instanceId,
      department: 'triage',
      lastSaid: heard.lastSaid,
    });
    await onService.waitFor((event) => callIn(event, placed.callSid)?.lastSaid?.speaker === 'caller', 2_000);

    // The answer, then the caller speaks again: the first turn is recorded with its latency.
    await waitFor(async () => (await liveCall(service, placed.callSid))?.lastSaid?.speaker === 'agent');
    await placed.say('Thank you.');
    const afterTurn = await onOther.waitFor((event) => (callIn(event, placed.callSid)?.turns ?? 0) >= 1, 5_000);
    const [turn] = (await asSupervisor(service.baseUrl, `/calls/${placed.callSid}`).expect(200)).body.turns;
    expect(turn.responseLatencyMs).toBeGreaterThan(REPLY_DELAY_MS / 2);
    expect(callIn(afterTurn, placed.callSid)).toMatchObject({ turns: 1, lastResponseLatencyMs: turn.responseLatencyMs });

    const since = onOther.events.length;
    await placed.hangUp();
    const hungUpAt = Date.now();
    const gone = await onOther.waitFor((event) => !callIn(event, placed.callSid), 1_500, since);
    expect(gone.receivedAt - hungUpAt).toBeLessThan(1_500);
    await onService.waitFor((event) => !callIn(event, placed.callSid), 1_500, since);
    expect(await liveCall(service, placed.callSid)).toBeUndefined();
  });

  it("reads each call's last events only: pending work and turns as the tail shows them", async () => {
    // Written as another instance's call would be, into the shared journal.
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString(), instanceId: 'instance-elsewhere' });
    const script = new CallScript(new Date(metadata.startedAt), 0.1)
      .started('triage')
      .toolWithoutResult('triage', 'lookup_order', { order_id: 'ORD-1' })
      .callerSays('My order is late.')
      .turn('triage', 'openai', 910);
    // Enough events after the tool call to push it out of the tail: it is no longer seen as pending.
    while (script.events.length < LIVE_CALL_RECENT_EVENTS + 5) script.callerSays('still there?').agentSays('triage', 'Yes.');
    script
      .callerSays('Can I get a refund instead?')
      .turn('triage', 'openai', 1320, { turn: 31 })
      .toolWithoutResult('triage', 'check_billing', {})
      .toolWithoutResult('triage', 'transfer_to_refund', { reason: 'refund', summary: 'wants a refund' });
    const journal = other!.app.get(CallJournalService);
    await journal.begin(metadata);
    for (const event of script.events) journal.record(metadata.callSid, event);

    const call = await waitFor(async () => {
      const found = await liveCall(service, metadata.callSid);
      return found?.pending.handoffTo ? found : undefined;
    });
    expect(call).toEqual({
      callSid: metadata.callSid,
      fromMasked: metadata.fromMasked,
      startedAt: metadata.startedAt,
      instanceId: 'instance-elsewhere',
      lastHeartbeatAt: expect.any(String),
      department: 'triage',
      lastSaid: { speaker: 'caller', text: 'Can I get a refund instead?', at: script.events.at(-4)!.at },
      pending: { tools: ['check_billing'], handoffTo: 'refund' },
      turns: 31,
      lastResponseLatencyMs: 1320,
    });

    await journal.finish(metadata.callSid, script.ending('hangup', 'abandoned'));
    expect(await liveCall(service, metadata.callSid)).toBeUndefined();
  });

  it('documents the enriched live call and the stream in OpenAPI', async () => {
    const document = (await request(service.baseUrl).get('/docs/json').expect(200)).body;
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.LiveCallView.properties).sort()).toEqual(
      [
        'callSid',
        'department',
        'fromMasked',
        'instanceId',
        'lastHeartbeatAt',
        'lastResponseLatencyMs',
        'lastSaid',
        'pending',
        'startedAt',
        'turns',
      ].sort(),
    );
    expect(schemas.LiveCallView.required).not.toContain('department');
    expect(Object.keys(schemas.PendingWorkView.properties).sort()).toEqual(['handoffTo', 'tools']);
    expect(Object.keys(schemas.LastSaidView.properties).sort()).toEqual(['at', 'speaker', 'text']);
    const stream = document.paths['/calls/live/events'].get;
    expect(stream.responses['200'].content['text/event-stream'].schema.$ref).toMatch(/LiveCallsUpdateView$/);
    expect(Object.keys(schemas.LiveCallsUpdateView.properties).sort()).toEqual(['at', 'calls']);
    expect(stream.security).toEqual([{ bearer: [] }]);
  });

  it('ends open streams when the application closes, without holding the close up', async () => {
    const stream = await openStream(other!);
    await stream.waitFor((event) => event.event === 'live-calls');
    const closing = Date.now();
    await other!.close();
    other = undefined;
    await stream.ended;
    expect(Date.now() - closing).toBeLessThan(5_000);
  });
});
