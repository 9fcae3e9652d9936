import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge } from 'prom-client';
import { MetricsService } from './metrics.service';

const SAMPLING_MS = 10;

/** Event-loop delay over the last second: the earliest sign that this process is saturated. */
@Injectable()
export class EventLoopMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLING_MS });
  private timer?: NodeJS.Timeout;
  private lastSecondP99Ms = 0;
  private readonly gauge: Gauge;

  constructor(metrics: MetricsService) {
    this.gauge = new Gauge({
      name: 'voice_agent_event_loop_lag_p99_seconds',
      help: 'Event-loop delay p99 over the last second',
      registers: [metrics.registry],
    });
  }

  get lagP99Ms(): number {
    return this.lastSecondP99Ms;
  }

  onModuleInit(): void {
    this.histogram.enable();
    this.timer = setInterval(() => {
      // The histogram counts its own sampling interval: an idle loop reads about SAMPLING_MS.
      this.lastSecondP99Ms = Math.max(0, this.histogram.percentile(99) / 1e6 - SAMPLING_MS);
      this.gauge.set(this.lastSecondP99Ms / 1000);
      this.histogram.reset();
    }, 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.histogram.disable();
  }
}
