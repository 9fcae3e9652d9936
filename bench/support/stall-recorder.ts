import { HistogramJson, LatencyHistogram } from './latency-histogram';

/*
 * Where and when audio stalled, for the fault run: the latest frame (most added latency) with
 * its call and arrival time, each call's longest wait between two frames (20 ms when nothing
 * stalls), and per-second maxima of both, so a stall can be placed against a fault. The
 * receiving peer feeds it every stamped frame; the per-call state lives on the call.
 */

/** The per-call part, kept by the receiver on its own call object (no map lookup per frame). */
export interface CallArrivals {
  callIndex: number;
  lastArrivalAt: number;
  maxGapMs: number;
  maxGapAt: number;
}

export interface StallEvent {
  ms: number;
  /** Bench clock (epoch ms) of the arrival. */
  at: number;
  callIndex: number;
}

export interface StallSnapshot {
  /** Bench clock when the window began (0: never). */
  windowStartAt: number;
  worstLatency: StallEvent | null;
  /** The longest wait between two frames of one call (its end is `at`). */
  worstGap: StallEvent | null;
  /** Each call's longest wait between two frames in the window, one sample per call. */
  perCallMaxGap: HistogramJson;
  /** The calls with the longest waits, worst first. */
  worstCalls: StallEvent[];
  /** Index = whole seconds since the window began. */
  perSecondMaxLatencyMs: number[];
  perSecondMaxGapMs: number[];
}

const MAX_SECONDS = 7200;
const WORST_CALLS = 5;

export class StallRecorder {
  private readonly live = new Set<CallArrivals>();
  /** Longest gaps of the calls that ended inside the window. */
  private ended: StallEvent[] = [];
  private windowStartAt = 0;
  private worstLatency: StallEvent | null = null;
  private worstGap: StallEvent | null = null;
  private perSecondLatency: number[] = [];
  private perSecondGap: number[] = [];

  /** A new window: every figure from zero; calls already streaming stay tracked. */
  begin(now: number): void {
    this.windowStartAt = now;
    this.worstLatency = null;
    this.worstGap = null;
    this.perSecondLatency = [];
    this.perSecondGap = [];
    this.ended = [];
    for (const call of this.live) {
      call.maxGapMs = 0;
      call.maxGapAt = 0;
    }
  }

  open(callIndex: number): CallArrivals {
    const call: CallArrivals = { callIndex, lastArrivalAt: Number.NaN, maxGapMs: 0, maxGapAt: 0 };
    this.live.add(call);
    return call;
  }

  /** The call's stream is over (its last frame or its socket): its gaps stop counting. */
  close(call: CallArrivals): void {
    if (!this.live.delete(call)) return;
    if (this.windowStartAt > 0 && call.maxGapMs > 0) this.ended.push({ ms: call.maxGapMs, at: call.maxGapAt, callIndex: call.callIndex });
  }

  observe(call: CallArrivals, latencyMs: number, now: number): void {
    const previous = call.lastArrivalAt;
    call.lastArrivalAt = now;
    if (this.windowStartAt === 0 || now < this.windowStartAt) return;
    const second = Math.min(MAX_SECONDS, Math.floor((now - this.windowStartAt) / 1000));
    if (!this.worstLatency || latencyMs > this.worstLatency.ms) this.worstLatency = { ms: latencyMs, at: now, callIndex: call.callIndex };
    if (!(latencyMs <= (this.perSecondLatency[second] ?? -1))) this.perSecondLatency[second] = latencyMs;
    if (Number.isNaN(previous)) return;
    const gap = now - previous;
    if (gap > call.maxGapMs) {
      call.maxGapMs = gap;
      call.maxGapAt = now;
    }
    if (!this.worstGap || gap > this.worstGap.ms) this.worstGap = { ms: gap, at: now, callIndex: call.callIndex };
    if (!(gap <= (this.perSecondGap[second] ?? -1))) this.perSecondGap[second] = gap;
  }

  snapshot(): StallSnapshot {
    const calls = [...this.ended];
    for (const call of this.live) if (call.maxGapMs > 0) calls.push({ ms: call.maxGapMs, at: call.maxGapAt, callIndex: call.callIndex });
    const histogram = new LatencyHistogram();
    for (const call of calls) histogram.recordMs(call.ms);
    return {
      windowStartAt: this.windowStartAt,
      worstLatency: this.worstLatency,
      worstGap: this.worstGap,
      perCallMaxGap: histogram.toJSON(),
      worstCalls: calls.sort((a, b) => b.ms - a.ms).slice(0, WORST_CALLS),
      perSecondMaxLatencyMs: dense(this.perSecondLatency),
      perSecondMaxGapMs: dense(this.perSecondGap),
    };
  }
}

/** Seconds with no frame read 0 (JSON would otherwise carry holes as null). */
function dense(values: number[]): number[] {
  return Array.from({ length: values.length }, (_, index) => round(values[index] ?? 0));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
