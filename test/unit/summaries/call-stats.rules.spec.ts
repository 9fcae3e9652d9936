import { StatsFigures, TurnLatencyFigures } from '../../../src/summaries/call-stats.repository';
import {
  callsOverTimeBucket,
  callsOverTimeFrom,
  callStatsFrom,
  MAX_STATS_RANGE_DAYS,
  statsRange,
  turnLatencyFrom,
} from '../../../src/summaries/call-stats.rules';

const NO_TURNS: TurnLatencyFigures = { answered: 0, unanswered: 0, p50: null, p95: null, overSlow: 0, overBroken: 0 };

function figures(overrides: Partial<StatsFigures> = {}): StatsFigures {
  return {
    outcomes: [],
    averageDurationSeconds: null,
    handoffs: [],
    departments: [],
    refunds: [],
    turnLatency: { overall: NO_TURNS, departments: [], providers: [] },
    callsOverTime: { bucket: 'day', buckets: [] },
    escalationTriggers: [],
    ...overrides,
  };
}

function latency(overrides: Partial<TurnLatencyFigures>): TurnLatencyFigures {
  return { ...NO_TURNS, ...overrides };
}

describe('callStatsFrom', () => {
  const from = new Date('2025-11-01T00:00:00.000Z');
  const to = new Date('2025-11-08T00:00:00.000Z');

  it('passes the escalations the service enforced through, by trigger', () => {
    const escalationTriggers = [
      { trigger: 'human-request' as const, action: 'escalation-handoff' as const, count: 3 },
      { trigger: 'red-flag' as const, action: 'human-transfer' as const, count: 1 },
    ];
    expect(callStatsFrom(figures({ escalationTriggers }), from, to).escalationsByTrigger).toEqual(escalationTriggers);
  });

  it('derives containment and escalation rate from the outcome counts', () => {
    const stats = callStatsFrom(
      figures({
        outcomes: [
          { outcome: 'resolved', calls: 2 },
          { outcome: 'escalated', calls: 1 },
          { outcome: 'failed', calls: 3 },
        ],
      }),
      from,
      to,
    );
    expect(stats).toMatchObject({
      calls: 6,
      outcomes: { resolved: 2, escalated: 1, abandoned: 0, failed: 3 },
      containment: 0.3333,
      escalationRate: 0.1667,
    });
    expect(stats.from).toBe(from.toISOString());
  });

  it('is all zeros without calls', () => {
    expect(callStatsFrom(figures(), from, to)).toMatchObject({
      calls: 0,
      containment: 0,
      escalationRate: 0,
      averageHandleTimeSeconds: { overall: null, perDepartment: [] },
      turnLatency: {
        turns: 0,
        unanswered: 0,
        overall: { turns: 0, p50Ms: null, p95Ms: null },
        byDepartment: [],
        byProvider: [],
        over2s: 0,
        over3s: 0,
      },
    });
  });

  it('sums refunds in major units and rounds handle times', () => {
    const stats = callStatsFrom(
      figures({
        averageDurationSeconds: 61.26,
        departments: [{ department: 'refund', averageSeconds: 30.04, calls: 2 }],
        refunds: [{ currency: 'USD', count: 2, totalCents: 12699 }],
      }),
      from,
      to,
    );
    expect(stats.averageHandleTimeSeconds).toEqual({
      overall: 61.3,
      perDepartment: [{ department: 'refund', averageSeconds: 30, calls: 2 }],
    });
    expect(stats.refundsIssued).toEqual({
      count: 2,
      totalAmount: 126.99,
      byCurrency: [{ currency: 'USD', count: 2, totalAmount: 126.99 }],
    });
  });
});

describe('turnLatencyFrom', () => {
  it('rounds the percentiles to whole ms and takes the over-budget counts from the overall row', () => {
    const stats = turnLatencyFrom({
      overall: latency({ answered: 5, unanswered: 2, p50: 1200.5, p95: 3411.49, overSlow: 2, overBroken: 1 }),
      departments: [
        { department: 'billing', ...latency({ answered: 2, p50: 2250, p95: 3345.2, overSlow: 2, overBroken: 1 }) },
        { department: 'triage', ...latency({ answered: 3, unanswered: 2, p50: 810, p95: 1187.75 }) },
      ],
      providers: [
        { provider: 'openai', ...latency({ answered: 5, unanswered: 2, p50: 1200.5, p95: 3411.49, overSlow: 2, overBroken: 1 }) },
      ],
    });
    expect(stats).toEqual({
      turns: 5,
      unanswered: 2,
      overall: { turns: 5, p50Ms: 1201, p95Ms: 3411 },
      byDepartment: [
        { department: 'billing', turns: 2, p50Ms: 2250, p95Ms: 3345 },
        { department: 'triage', turns: 3, p50Ms: 810, p95Ms: 1188 },
      ],
      byProvider: [{ provider: 'openai', turns: 5, p50Ms: 1201, p95Ms: 3411 }],
      over2s: 2,
      over3s: 1,
    });
  });

  it('leaves out a department or provider whose turns all went unanswered, still counting them as unanswered', () => {
    const stats = turnLatencyFrom({
      overall: latency({ answered: 1, unanswered: 1, p50: 900, p95: 900 }),
      departments: [
        { department: 'escalation', ...latency({ unanswered: 1 }) },
        { department: 'triage', ...latency({ answered: 1, p50: 900, p95: 900 }) },
      ],
      providers: [{ provider: 'assemblyai', ...latency({ answered: 1, unanswered: 1, p50: 900, p95: 900 }) }],
    });
    expect(stats.byDepartment).toEqual([{ department: 'triage', turns: 1, p50Ms: 900, p95Ms: 900 }]);
    expect(stats).toMatchObject({ turns: 1, unanswered: 1, overall: { turns: 1, p50Ms: 900, p95Ms: 900 } });
  });

  it('has null percentiles when no turn was answered', () => {
    const stats = turnLatencyFrom({
      overall: latency({ unanswered: 3 }),
      departments: [{ department: 'triage', ...latency({ unanswered: 3 }) }],
      providers: [{ provider: 'openai', ...latency({ unanswered: 3 }) }],
    });
    expect(stats).toEqual({
      turns: 0,
      unanswered: 3,
      overall: { turns: 0, p50Ms: null, p95Ms: null },
      byDepartment: [],
      byProvider: [],
      over2s: 0,
      over3s: 0,
    });
  });
});

describe('callsOverTimeBucket', () => {
  const from = new Date('2025-11-01T00:00:00.000Z');
  const after = (hours: number, ms = 0) => new Date(from.getTime() + hours * 3600_000 + ms);

  it('counts by the hour up to 48 hours, by the day beyond', () => {
    expect(callsOverTimeBucket(from, after(1))).toBe('hour');
    expect(callsOverTimeBucket(from, after(48))).toBe('hour');
    expect(callsOverTimeBucket(from, after(48, 1))).toBe('day');
    expect(callsOverTimeBucket(from, after(24 * 7))).toBe('day');
  });
});

describe('callsOverTimeFrom', () => {
  it('keeps every bucket in order, empty ones included, with their starts as UTC ISO strings', () => {
    const start = (iso: string) => new Date(iso);
    expect(
      callsOverTimeFrom({
        bucket: 'hour',
        buckets: [
          { start: start('2025-11-01T09:00:00Z'), calls: 0, escalated: 0 },
          { start: start('2025-11-01T10:00:00Z'), calls: 4, escalated: 1 },
          { start: start('2025-11-01T11:00:00Z'), calls: 0, escalated: 0 },
        ],
      }),
    ).toEqual({
      bucket: 'hour',
      points: [
        { start: '2025-11-01T09:00:00.000Z', calls: 0, escalated: 0 },
        { start: '2025-11-01T10:00:00.000Z', calls: 4, escalated: 1 },
        { start: '2025-11-01T11:00:00.000Z', calls: 0, escalated: 0 },
      ],
    });
  });

  it('is part of the stats, with no points when the database gave none', () => {
    const stats = callStatsFrom(figures(), new Date('2025-11-01T00:00:00.000Z'), new Date('2025-11-08T00:00:00.000Z'));
    expect(stats.callsOverTime).toEqual({ bucket: 'day', points: [] });
  });
});

describe('statsRange', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  const days = (count: number) => count * 24 * 3600 * 1000;

  it('defaults to the week before to, and to now', () => {
    expect(statsRange({}, now)).toEqual({ ok: true, from: new Date(now.getTime() - days(7)), to: now });
    const to = new Date('2026-01-10T00:00:00.000Z');
    expect(statsRange({ to }, now)).toEqual({ ok: true, from: new Date('2026-01-03T00:00:00.000Z'), to });
  });

  it('takes a range of exactly the longest span, and refuses one a millisecond longer', () => {
    const to = now;
    expect(statsRange({ from: new Date(to.getTime() - days(MAX_STATS_RANGE_DAYS)), to }, now).ok).toBe(true);
    expect(statsRange({ from: new Date(to.getTime() - days(MAX_STATS_RANGE_DAYS) - 1), to }, now)).toEqual({
      ok: false,
      field: 'from',
      message: `the range may span at most ${MAX_STATS_RANGE_DAYS} days`,
    });
  });

  it('refuses a from at or after to, also when to is the default', () => {
    expect(statsRange({ from: now, to: now }, now)).toMatchObject({ ok: false, message: 'from must be before to' });
    expect(statsRange({ from: new Date(now.getTime() + 1) }, now)).toMatchObject({ ok: false, field: 'from' });
  });
});
