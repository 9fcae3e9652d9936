import { StatsFigures } from '../../../src/summaries/call-stats.repository';
import { callStatsFrom } from '../../../src/summaries/call-stats.rules';

function figures(overrides: Partial<StatsFigures> = {}): StatsFigures {
  return { outcomes: [], averageDurationSeconds: null, handoffs: [], departments: [], refunds: [], ...overrides };
}

describe('callStatsFrom', () => {
  const from = new Date('2025-11-01T00:00:00.000Z');
  const to = new Date('2025-11-08T00:00:00.000Z');

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
