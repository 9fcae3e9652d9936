import { DataSource } from 'typeorm';
import { CallEnding, CallMetadata } from '../../../src/call-journal/call-event.types';
import { startTestApp, TestApp } from '../../support/test-app';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { asSupervisor, playCall, summarisedCall } from './journaled-call';

interface MadeCall {
  metadata: CallMetadata;
  script: CallScript;
  ending: CallEnding;
}

/** Seconds spent in each department of one call: from entering it to the next handoff or the end. */
function secondsPerDepartment({ script, ending }: MadeCall): Map<string, number> {
  const entries = script.events.flatMap((event) =>
    event.type === 'call.started'
      ? [{ department: event.department, at: event.at }]
      : event.type === 'handoff' && event.status === 'applied'
        ? [{ department: event.to, at: event.at }]
        : [],
  );
  const seconds = new Map<string, number>();
  entries.forEach((entry, index) => {
    const until = Date.parse(entries[index + 1]?.at ?? ending.endedAt);
    seconds.set(entry.department, (seconds.get(entry.department) ?? 0) + (until - Date.parse(entry.at)) / 1000);
  });
  return seconds;
}

describe('GET /stats over a set of calls', () => {
  let service: TestApp;
  const rangeStart = new Date('2024-06-03T09:00:00.000Z');
  const at = (minutes: number) => new Date(rangeStart.getTime() + minutes * 60_000);
  const made: MadeCall[] = [];

  function call(startMinute: number, build: (script: CallScript) => CallScript, ending: (script: CallScript) => CallEnding): MadeCall {
    const script = build(new CallScript(at(startMinute)));
    return { metadata: callFactory.metadata({ startedAt: at(startMinute).toISOString() }), script, ending: ending(script) };
  }

  beforeAll(async () => {
    service = await startTestApp({}, 'stats');
    made.push(
      call(
        0,
        (script) => callFactory.refundCall(script),
        (script) => script.ending('hangup', 'resolved', ['triage', 'refund']),
      ),
      call(
        10,
        (script) =>
          script
            .started('triage')
            .callerSays('My invoice is wrong')
            .handoff('triage', 'billing', 'invoice question')
            .agentSays('billing', 'Let me check.')
            .callerSays('I want a person')
            .handoff('billing', 'escalation', 'wants a human')
            .escalation('caller insists on a person'),
        (script) => script.ending('human-transfer', 'escalated', ['triage', 'billing', 'escalation']),
      ),
      call(
        20,
        (script) => script.started('triage').callerSays('Hello?'),
        (script) => script.ending('hangup', 'abandoned'),
      ),
      call(
        30,
        (script) =>
          script
            .started('triage')
            .callerSays('What is your returns policy?')
            .handoff('triage', 'refund', 'maybe a refund', 'refused')
            .handoff('triage', 'faq', 'policy question')
            .agentSays('faq', '30 days.')
            .callerSays('Thanks'),
        (script) => script.ending('hangup', 'resolved', ['triage', 'faq']),
      ),
    );
    for (const { metadata, script, ending } of made) await playCall(service.app, metadata, script, ending);
    await Promise.all(made.map(({ metadata }) => summarisedCall(service.baseUrl, metadata.callSid)));
    // Refunds as the refund tool writes them: two inside the range, one after it.
    const dataSource = service.app.get(DataSource);
    const refund = (id: string, orderId: string, cents: number, createdAt: Date) =>
      dataSource.query(
        `INSERT INTO refunds (id, order_id, account_id, amount_cents, currency, reason, call_id, created_at) VALUES ($1, $2, 'ACC-001', $3, 'USD', 'test', $4, $5)`,
        [id, orderId, cents, made[0].metadata.callSid, createdAt],
      );
    await refund('RF-STATS00001', 'ORD-12345', 8499, at(2));
    await refund('RF-STATS00002', 'ORD-12100', 4200, at(40));
    await refund('RF-STATS00003', 'ORD-67890', 12950, at(24 * 60));
  });
  afterAll(() => service.close());

  it('counts the calls, outcomes, handoffs, handle times and refunds of the range', async () => {
    const response = await asSupervisor(service.baseUrl, `/stats?from=${at(0).toISOString()}&to=${at(60).toISOString()}`).expect(200);
    const durations = made.map(({ metadata, ending }) => Math.round((Date.parse(ending.endedAt) - Date.parse(metadata.startedAt)) / 1000));
    const perCall = made.map(secondsPerDepartment);
    const departments = [...new Set(perCall.flatMap((seconds) => [...seconds.keys()]))].sort();
    const perDepartment = departments.map((department) => {
      const visits = perCall.filter((seconds) => seconds.has(department)).map((seconds) => seconds.get(department)!);
      return {
        department,
        averageSeconds: Math.round((visits.reduce((sum, value) => sum + value, 0) / visits.length) * 10) / 10,
        calls: visits.length,
      };
    });

    expect(response.body).toEqual({
      from: at(0).toISOString(),
      to: at(60).toISOString(),
      calls: 4,
      outcomes: { resolved: 2, escalated: 1, abandoned: 1, failed: 0 },
      handoffMatrix: [
        { from: 'billing', to: 'escalation', count: 1 },
        { from: 'triage', to: 'billing', count: 1 },
        { from: 'triage', to: 'faq', count: 1 },
        { from: 'triage', to: 'refund', count: 1 },
      ],
      containment: 0.5,
      escalationRate: 0.25,
      escalationsByTrigger: [],
      averageHandleTimeSeconds: {
        overall: Math.round((durations.reduce((sum, value) => sum + value, 0) / durations.length) * 10) / 10,
        perDepartment,
      },
      refundsIssued: { count: 2, totalAmount: 126.99, byCurrency: [{ currency: 'USD', count: 2, totalAmount: 126.99 }] },
      // These calls recorded no caller turns (turn-latency-stats.e2e-spec.ts covers them).
      turnLatency: {
        turns: 0,
        unanswered: 0,
        overall: { turns: 0, p50Ms: null, p95Ms: null },
        byDepartment: [],
        byProvider: [],
        over2s: 0,
        over3s: 0,
      },
      // An hour's range: one hour bucket, holding the four calls.
      callsOverTime: { bucket: 'hour', points: [{ start: '2024-06-03T09:00:00.000Z', calls: 4, escalated: 1 }] },
    });
    expect(perDepartment.map((row) => row.department)).toEqual(['billing', 'escalation', 'faq', 'refund', 'triage']);
    expect(perDepartment.find((row) => row.department === 'triage')?.calls).toBe(4);
  });

  it('narrows to the calls started in a smaller range', async () => {
    const response = await asSupervisor(service.baseUrl, `/stats?from=${at(5).toISOString()}&to=${at(25).toISOString()}`).expect(200);
    expect(response.body).toMatchObject({
      calls: 2,
      outcomes: { resolved: 0, escalated: 1, abandoned: 1, failed: 0 },
      containment: 0,
      escalationRate: 0.5,
      handoffMatrix: [
        { from: 'billing', to: 'escalation', count: 1 },
        { from: 'triage', to: 'billing', count: 1 },
      ],
      refundsIssued: { count: 0, totalAmount: 0, byCurrency: [] },
      callsOverTime: { bucket: 'hour', points: [{ start: '2024-06-03T09:00:00.000Z', calls: 2, escalated: 1 }] },
    });
  });

  it('counts calls per hour over every hour the range touches, empty hours with zeros', async () => {
    const hour = (hours: number) => new Date(rangeStart.getTime() + hours * 3600_000);
    // 07:30 to 12:00: the first bucket starts before the range, and the one starting at `to` is not in it.
    const response = await asSupervisor(service.baseUrl, `/stats?from=${hour(-1.5).toISOString()}&to=${hour(3).toISOString()}`).expect(200);
    expect(response.body.callsOverTime).toEqual({
      bucket: 'hour',
      points: [
        { start: '2024-06-03T07:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2024-06-03T08:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2024-06-03T09:00:00.000Z', calls: 4, escalated: 1 },
        { start: '2024-06-03T10:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2024-06-03T11:00:00.000Z', calls: 0, escalated: 0 },
      ],
    });
    // Exactly 48 hours is still counted by the hour.
    const twoDays = await asSupervisor(service.baseUrl, `/stats?from=${hour(-24).toISOString()}&to=${hour(24).toISOString()}`).expect(200);
    expect(twoDays.body.callsOverTime.bucket).toBe('hour');
    expect(twoDays.body.callsOverTime.points).toHaveLength(48);
    expect(twoDays.body.callsOverTime.points.filter((point: { calls: number }) => point.calls > 0)).toEqual([
      { start: '2024-06-03T09:00:00.000Z', calls: 4, escalated: 1 },
    ]);
  });

  it('counts calls per UTC day over a range longer than 48 hours, empty days with zeros', async () => {
    const response = await asSupervisor(service.baseUrl, '/stats?from=2024-06-01T12:00:00.000Z&to=2024-06-05T00:00:00.000Z').expect(200);
    expect(response.body.callsOverTime).toEqual({
      bucket: 'day',
      points: [
        { start: '2024-06-01T00:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2024-06-02T00:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2024-06-03T00:00:00.000Z', calls: 4, escalated: 1 },
        { start: '2024-06-04T00:00:00.000Z', calls: 0, escalated: 0 },
      ],
    });
  });

  it('refuses a range over 400 days (a bucket per day of years of calls) and a range that ends before it starts, naming the field', async () => {
    const tooLong = await asSupervisor(service.baseUrl, '/stats?from=2000-01-01T00:00:00.000Z&to=2024-06-05T00:00:00.000Z').expect(400);
    expect(tooLong.body).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'from', messages: ['the range may span at most 400 days'] }],
    });
    const backwards = await asSupervisor(service.baseUrl, '/stats?from=2024-06-05T00:00:00.000Z&to=2024-06-01T00:00:00.000Z').expect(400);
    expect(backwards.body.fields).toEqual([{ field: 'from', messages: ['from must be before to'] }]);
  });
});
