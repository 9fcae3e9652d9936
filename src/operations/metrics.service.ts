import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VOICE_AGENT_PROVIDERS } from '../config/environment';
import { BoundedLabel } from './bounded-label';

/** 0.25-10 s, with edges at the turn budgets: over 2 s feels slow, over 3 s feels broken. */
const TURN_LATENCY_BUCKETS = [0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10];
/** Distinct values one label may take from configs or from a remote peer before the rest become `other`. */
const OPEN_LABEL_LIMIT = 50;
/** Labels from the code's own short vocabularies (outcomes, causes, statuses): room to spare, still a ceiling. */
const CLOSED_LABEL_LIMIT = 10;

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
  readonly turnResponseLatency = new Histogram({
    name: 'voice_agent_turn_response_latency_seconds',
    help: 'Caller stopped speaking to the first agent audio sent to Twilio, by answering department and provider',
    labelNames: ['department', 'provider'],
    buckets: TURN_LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly turnAnswerLatency = new Histogram({
    name: 'voice_agent_turn_answer_latency_seconds',
    help: "Caller stopped speaking to the first audio of the answer given after the turn's tools and handoffs settled",
    labelNames: ['department', 'provider'],
    buckets: TURN_LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly escalations = new Counter({
    name: 'voice_agent_escalations_total',
    help: 'Calls sent to a person, by cause and transfer result',
    labelNames: ['cause', 'result'],
    registers: [this.registry],
  });
  readonly escalationTriggers = new Counter({
    name: 'voice_agent_escalation_triggers_total',
    help: "Escalations the service enforced from a department's rules, by trigger and action",
    labelNames: ['trigger', 'action'],
    registers: [this.registry],
  });
  readonly interruptions = new Counter({
    name: 'voice_agent_interruptions_total',
    help: 'Caller barge-ins over agent audio, by department and provider',
    labelNames: ['department', 'provider'],
    registers: [this.registry],
  });
  readonly callOutcomes = new Counter({
    name: 'voice_agent_call_outcomes_total',
    help: 'Calls ended, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly departmentLabel = new BoundedLabel({ limit: OPEN_LABEL_LIMIT });
  private readonly providerLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT, allowed: VOICE_AGENT_PROVIDERS });
  private readonly toolLabel = new BoundedLabel({ limit: OPEN_LABEL_LIMIT });
  private readonly toolResultLabel = new BoundedLabel({ limit: OPEN_LABEL_LIMIT, allowed: ['ok'] });
  private readonly providerErrorCodeLabel = new BoundedLabel({ limit: OPEN_LABEL_LIMIT });
  private readonly reconnectResultLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly handoffStatusLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly escalationCauseLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly escalationResultLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly callOutcomeLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly escalationTriggerLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });
  private readonly escalationActionLabel = new BoundedLabel({ limit: CLOSED_LABEL_LIMIT });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Puts every known outcome and escalation series at zero, so rates and the escalation ratio
   * exist before the first such call. The owners of those vocabularies pass them in.
   */
  countFromZero(known: { outcomes: readonly string[]; escalationCauses: readonly string[]; escalationResults: readonly string[] }): void {
    for (const outcome of known.outcomes) this.callOutcomes.inc({ outcome: this.callOutcomeLabel.of(outcome) }, 0);
    for (const cause of known.escalationCauses)
      for (const result of known.escalationResults)
        this.escalations.inc({ cause: this.escalationCauseLabel.of(cause), result: this.escalationResultLabel.of(result) }, 0);
  }

  /** One caller turn; either latency is null when the turn closed without it. */
  turnMeasured(labels: { department: string; provider: string }, responseSeconds: number | null, answerSeconds: number | null): void {
    const bounded = { department: this.departmentLabel.of(labels.department), provider: this.providerLabel.of(labels.provider) };
    if (isDuration(responseSeconds)) this.turnResponseLatency.observe(bounded, responseSeconds);
    if (isDuration(answerSeconds)) this.turnAnswerLatency.observe(bounded, answerSeconds);
  }

  toolFinished(tool: string, result: string, seconds: number): void {
    const toolLabel = this.toolLabel.of(tool);
    this.toolCalls.inc({ tool: toolLabel, result: this.toolResultLabel.of(result) });
    if (isDuration(seconds)) this.toolDuration.observe({ tool: toolLabel }, seconds);
  }

  handoff(from: string, to: string, status: string, latencySeconds?: number): void {
    this.handoffs.inc({ from: this.departmentLabel.of(from), to: this.departmentLabel.of(to), status: this.handoffStatusLabel.of(status) });
    if (isDuration(latencySeconds)) this.handoffLatency.observe(latencySeconds);
  }

  escalated(cause: string, result: string): void {
    this.escalations.inc({ cause: this.escalationCauseLabel.of(cause), result: this.escalationResultLabel.of(result) });
  }

  escalationTriggered(trigger: string, action: string): void {
    this.escalationTriggers.inc({ trigger: this.escalationTriggerLabel.of(trigger), action: this.escalationActionLabel.of(action) });
  }

  interrupted(department: string, provider: string): void {
    this.interruptions.inc({ department: this.departmentLabel.of(department), provider: this.providerLabel.of(provider) });
  }

  callOutcome(outcome: string): void {
    this.callOutcomes.inc({ outcome: this.callOutcomeLabel.of(outcome) });
  }

  providerError(code: string): void {
    this.providerErrors.inc({ code: this.providerErrorCodeLabel.of(code) });
  }

  providerReconnect(result: string): void {
    this.providerReconnects.inc({ result: this.reconnectResultLabel.of(result) });
  }
}

/** prom-client throws on a non-finite observation, and a metric must never break the call reporting it. */
function isDuration(seconds: number | null | undefined): seconds is number {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0;
}
