import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus registry: process metrics plus the product's own. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly liveCalls = new Gauge({
    name: 'voice_agent_live_calls',
    help: 'Calls currently bridged on this instance',
    registers: [this.registry],
  });
  readonly callsStarted = new Counter({
    name: 'voice_agent_calls_started_total',
    help: 'Calls whose Media Stream started',
    registers: [this.registry],
  });
  readonly callsEnded = new Counter({
    name: 'voice_agent_calls_ended_total',
    help: 'Calls ended, by end reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly callsRefused = new Counter({
    name: 'voice_agent_calls_refused_total',
    help: 'Calls turned away (busy), by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly toolCalls = new Counter({
    name: 'voice_agent_tool_calls_total',
    help: 'Tool calls by tool and result',
    labelNames: ['tool', 'result'],
    registers: [this.registry],
  });
  readonly toolDuration = new Histogram({
    name: 'voice_agent_tool_duration_seconds',
    help: 'Tool execution time',
    labelNames: ['tool'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly handoffs = new Counter({
    name: 'voice_agent_handoffs_total',
    help: 'Handoff attempts by status',
    labelNames: ['from', 'to', 'status'],
    registers: [this.registry],
  });
  readonly handoffLatency = new Histogram({
    name: 'voice_agent_handoff_latency_seconds',
    help: 'Transfer tool.call received to session.update sent',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  /** Bumped per audio frame (50 a second per call each way); folded into the counter only when scraped. */
  readonly relayedFrames = { callerToAgent: 0, agentToCaller: 0 };
  readonly mediaFramesRelayed = new Counter({
    name: 'voice_agent_media_frames_total',
    help: 'Audio frames relayed, by direction',
    labelNames: ['direction'],
    registers: [this.registry],
    collect: () => {
      this.mediaFramesRelayed.inc({ direction: 'caller-to-agent' }, this.relayedFrames.callerToAgent);
      this.mediaFramesRelayed.inc({ direction: 'agent-to-caller' }, this.relayedFrames.agentToCaller);
      this.relayedFrames.callerToAgent = 0;
      this.relayedFrames.agentToCaller = 0;
    },
  });
  readonly mediaStreamErrors = new Counter({
    name: 'voice_agent_media_stream_errors_total',
    help: 'Rejected or malformed Media Stream frames, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly twilioRequestsLimited = new Counter({
    name: 'voice_agent_twilio_requests_limited_total',
    help: 'Twilio webhooks and Media Stream upgrades refused with 429, by the per-source budget spent',
    labelNames: ['budget'],
    registers: [this.registry],
  });
  readonly providerReconnects = new Counter({
    name: 'voice_agent_provider_reconnects_total',
    help: 'Provider sockets resumed or restarted after a drop',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly providerErrors = new Counter({
    name: 'voice_agent_provider_errors_total',
    help: 'session.error events, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly summariesWritten = new Counter({
    name: 'voice_agent_summaries_written_total',
    help: 'Post-call summaries written to Postgres',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
