import { bucketIndex, bucketUpperMicros, LatencyHistogram, percentileOf } from '../../../bench/support/latency-histogram';

describe('latency histogram', () => {
  const histogramOf = (valuesMs: number[]): LatencyHistogram => {
    const histogram = new LatencyHistogram();
    for (const value of valuesMs) histogram.recordMs(value);
    return histogram;
  };

  it('maps every value to a bucket whose range contains it, buckets contiguous and ordered', () => {
    let previous = -1;
    for (const micros of [0, 1, 255, 256, 257, 511, 512, 1000, 12_345, 999_999, 2 ** 31 - 1]) {
      const index = bucketIndex(micros);
      expect(index).toBeGreaterThanOrEqual(previous);
      expect(bucketUpperMicros(index)).toBeGreaterThanOrEqual(micros);
      if (index > 0) expect(bucketUpperMicros(index - 1)).toBeLessThan(micros);
      previous = index;
    }
  });

  it('keeps the relative error of a percentile under 1 %', () => {
    const histogram = histogramOf([12.345]);
    const p50 = histogram.percentileMs(50) as number;
    expect(Math.abs(p50 - 12.345) / 12.345).toBeLessThan(0.01);
  });

  it('finds p50 and p99 of a known distribution', () => {
    const values = Array.from({ length: 1000 }, (_, index) => (index + 1) / 10); // 0.1 .. 100 ms
    const summary = histogramOf(values).summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(50, 0);
    expect(summary.p99).toBeCloseTo(99, 0);
    expect(summary.max).toBe(100);
    expect(summary.mean).toBeCloseTo(50.05, 2);
  });

  it('never reports a percentile above the largest sample', () => {
    const histogram = histogramOf([1, 1, 1, 7.001]);
    expect(histogram.percentileMs(100)).toBe(7.001);
  });

  it('counts negative samples (clock skew) and records them as zero', () => {
    const histogram = histogramOf([-0.5, 2]);
    expect(histogram.negative).toBe(1);
    expect(histogram.percentileMs(50)).toBe(0);
  });

  it('survives a round trip through JSON and merges', () => {
    const first = histogramOf([1, 2, 3]);
    const second = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(histogramOf([40, 50]).toJSON())));
    const merged = first.merge(second);
    expect(merged.count).toBe(5);
    expect(merged.summary().max).toBe(50);
    expect(merged.percentileMs(40)).toBeCloseTo(2, 1);
  });

  it('is empty after a reset and reports nulls', () => {
    const histogram = histogramOf([5]);
    histogram.reset();
    expect(histogram.summary()).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null, mean: null });
  });

  it('computes exact nearest-rank percentiles of small samples', () => {
    expect(percentileOf([], 50)).toBeNull();
    expect(percentileOf([30, 10, 20], 50)).toBe(20);
    expect(percentileOf([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentileOf([5, 1, 4, 2, 3], 20)).toBe(1);
  });
});
