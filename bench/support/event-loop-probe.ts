import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Event-loop delay of a bench process: when it is high, the process measured late, not the relay. */
export class EventLoopProbe {
  private static readonly resolutionMs = 10;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: EventLoopProbe.resolutionMs });

  constructor() {
    this.histogram.enable();
  }

  reset(): void {
    this.histogram.reset();
  }

  snapshot(): EventLoopDelay {
    // The histogram records whole timer intervals; the delay is what exceeds the resolution.
    const ms = (nanos: number): number => (Number.isFinite(nanos) ? Math.max(0, nanos / 1e6 - EventLoopProbe.resolutionMs) : 0);
    return { p50Ms: ms(this.histogram.percentile(50)), p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }
}
