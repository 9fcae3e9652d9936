/*
 * A log-linear latency histogram (HdrHistogram-like): exact to the microsecond below 256 us,
 * then 128 buckets per power of two (under 0.8 % relative error). Fixed memory, mergeable,
 * and small enough on the wire to send between processes.
 */

const LINEAR_LIMIT = 256;
const SUB_BUCKETS = 128;
const MAX_MICROS = 2 ** 31 - 1;
const BUCKETS = LINEAR_LIMIT + 24 * SUB_BUCKETS;

export interface HistogramJson {
  buckets: [number, number][];
  count: number;
  sumMicros: number;
  minMicros: number;
  maxMicros: number;
  negative: number;
}

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function bucketIndex(micros: number): number {
  if (micros < LINEAR_LIMIT) return micros;
  const bits = 31 - Math.clz32(micros);
  const shift = bits - 7;
  const mantissa = micros >>> shift;
  return LINEAR_LIMIT + (shift - 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
}

/** The highest value that lands in a bucket. */
export function bucketUpperMicros(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const offset = index - LINEAR_LIMIT;
  const shift = Math.floor(offset / SUB_BUCKETS) + 1;
  const mantissa = SUB_BUCKETS + (offset % SUB_BUCKETS);
  return (mantissa + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  private counts = new Float64Array(BUCKETS);
  private total = 0;
  private sumMicros = 0;
  private minMicros = Number.POSITIVE_INFINITY;
  private maxMicros = 0;
  /** Samples below zero (clock skew between processes); recorded as 0. */
  private negatives = 0;

  get count(): number {
    return this.total;
  }

  get negative(): number {
    return this.negatives;
  }

  recordMs(ms: number): void {
    if (!Number.isFinite(ms)) return;
    let micros = Math.round(ms * 1000);
    if (micros < 0) {
      this.negatives++;
      micros = 0;
    }
    if (micros > MAX_MICROS) micros = MAX_MICROS;
    this.counts[bucketIndex(micros)]++;
    this.total++;
    this.sumMicros += micros;
    if (micros < this.minMicros) this.minMicros = micros;
    if (micros > this.maxMicros) this.maxMicros = micros;
  }

  /** The value at or below which `percent` of the samples lie, in ms (bucket upper bound, capped at the max). */
  percentileMs(percent: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index];
      if (seen >= rank) return Math.min(bucketUpperMicros(index), this.maxMicros) / 1000;
    }
    return this.maxMicros / 1000;
  }

  summary(): LatencySummary {
    const empty = this.total === 0;
    return {
      count: this.total,
      p50: this.percentileMs(50),
      p95: this.percentileMs(95),
      p99: this.percentileMs(99),
      max: empty ? null : this.maxMicros / 1000,
      mean: empty ? null : this.sumMicros / this.total / 1000,
    };
  }

  merge(other: LatencyHistogram): this {
    for (let index = 0; index < BUCKETS; index++) this.counts[index] += other.counts[index];
    this.total += other.total;
    this.sumMicros += other.sumMicros;
    this.negatives += other.negatives;
    if (other.total > 0) {
      this.minMicros = Math.min(this.minMicros, other.minMicros);
      this.maxMicros = Math.max(this.maxMicros, other.maxMicros);
    }
    return this;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumMicros = 0;
    this.minMicros = Number.POSITIVE_INFINITY;
    this.maxMicros = 0;
    this.negatives = 0;
  }

  toJSON(): HistogramJson {
    const buckets: [number, number][] = [];
    for (let index = 0; index < BUCKETS; index++) {
      if (this.counts[index] > 0) buckets.push([index, this.counts[index]]);
    }
    return {
      buckets,
      count: this.total,
      sumMicros: this.sumMicros,
      minMicros: this.total === 0 ? 0 : this.minMicros,
      maxMicros: this.maxMicros,
      negative: this.negatives,
    };
  }

  static fromJSON(json: HistogramJson): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [index, count] of json.buckets) {
      if (index >= 0 && index < BUCKETS) histogram.counts[index] = count;
    }
    histogram.total = json.count;
    histogram.sumMicros = json.sumMicros;
    histogram.minMicros = json.count === 0 ? Number.POSITIVE_INFINITY : json.minMicros;
    histogram.maxMicros = json.maxMicros;
    histogram.negatives = json.negative;
    return histogram;
  }
}

/** Exact nearest-rank percentile of a small sample (post-call latencies); null when empty. */
export function percentileOf(values: readonly number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}
