import { postCallFigures } from '../../../bench/support/summary-probe';

describe('post-call figures', () => {
  const ended = (count: number, every = 20) =>
    Array.from({ length: count }, (_, index) => ({ callSid: `CA${index}`, stopAt: 1_000_000 + index * every }));

  it('measures call end -> summary row per call and the pipeline throughput', () => {
    const calls = ended(100);
    const createdAt = new Map(calls.map((call, index) => [call.callSid, call.stopAt + (index < 95 ? 100 : 1000)]));
    const figures = postCallFigures(calls, createdAt, 50);
    expect(figures).toMatchObject({ calls: 100, summarised: 100, missing: 0, p50Ms: 100, p95Ms: 100, maxMs: 1000 });
    // 100 summaries from the first end (t=0) to the last row (t=1980+1000 ms).
    expect(figures.summariesPerSecond).toBeCloseTo(100 / 2.98, 1);
    expect(figures.peakSummariesPerSecond).toBe(50);
  });

  it('counts calls whose summary never arrived', () => {
    const calls = ended(3);
    const figures = postCallFigures(calls, new Map([[calls[0].callSid, calls[0].stopAt + 50]]), 50, 'late');
    expect(figures).toMatchObject({ summarised: 1, missing: 2, p95Ms: 50, error: 'late' });
  });

  it('reports nothing measured without rows', () => {
    expect(postCallFigures(ended(2), new Map(), 50)).toMatchObject({
      summarised: 0,
      p50Ms: null,
      summariesPerSecond: null,
      peakSummariesPerSecond: 0,
    });
  });
});
