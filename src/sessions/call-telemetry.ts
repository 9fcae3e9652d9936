import { Injectable } from '@nestjs/common';
import { CALL_OUTCOMES, CallerTurn, ESCALATION_CAUSES } from '../call-journal/call-event.types';
import { MetricsService } from '../operations/metrics.service';
import { CallTrace, CallTracer, SpanHandle } from '../tracing/call-tracer';
import { CallTelemetry, CallTelemetrySource, HandoffAttempt, HUMAN_TRANSFER_STATUSES, ToolOutsideTurn } from './call-session.ports';

/** Each live call's metrics and trace: Prometheus through MetricsService, spans through CallTracer. */
@Injectable()
export class CallTelemetryService implements CallTelemetrySource {
  constructor(
    private readonly metrics: MetricsService,
    private readonly tracer: CallTracer,
  ) {
    metrics.countFromZero({ outcomes: CALL_OUTCOMES, escalationCauses: ESCALATION_CAUSES, escalationResults: HUMAN_TRANSFER_STATUSES });
  }

  forCall(call: { callSid: string; department: string; provider: string; startedAt: Date }): CallTelemetry {
    const trace = this.tracer.startCall(
      { 'call.sid': call.callSid, 'call.department': call.department, 'call.provider': call.provider },
      call.startedAt.getTime(),
    );
    return new LiveCallTelemetry(call.provider, this.metrics, trace);
  }
}

class LiveCallTelemetry implements CallTelemetry {
  constructor(
    private readonly provider: string,
    private readonly metrics: MetricsService,
    private readonly trace: CallTrace,
  ) {}

  get traceId(): string | undefined {
    return this.trace.traceId;
  }

  get traceparent(): string | undefined {
    return this.trace.traceparent;
  }

  turn(turn: CallerTurn): void {
    const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
    this.metrics.turnMeasured(
      { department: turn.department, provider: turn.provider },
      seconds(turn.responseLatencyMs),
      seconds(turn.answerLatencyMs),
    );
    if (this.trace.traceId === undefined) return;
    const stoppedAt = Date.parse(turn.callerStoppedAt);
    const span = this.trace.child('caller.turn', {
      startTime: stoppedAt,
      attributes: {
        'turn.number': turn.turn,
        'call.department': turn.department,
        'call.provider': turn.provider,
        'turn.measured_from': turn.measuredFrom,
        'turn.answered': turn.responseLatencyMs !== null,
        ...(turn.responseLatencyMs === null ? {} : { 'turn.response_latency_ms': turn.responseLatencyMs }),
        ...(turn.answerLatencyMs === null ? {} : { 'turn.answer_latency_ms': turn.answerLatencyMs }),
        ...(turn.breakdown
          ? {
              'turn.tools_ms': turn.breakdown.toolsMs,
              'turn.handoffs_ms': turn.breakdown.handoffsMs,
              'turn.other_ms': turn.breakdown.otherMs,
            }
          : {}),
      },
    });
    let lastEnd = stoppedAt + (turn.answerLatencyMs ?? turn.responseLatencyMs ?? 0);
    for (const tool of turn.tools) {
      const start = stoppedAt + tool.startMs;
      const end = start + (tool.durationMs ?? 0);
      lastEnd = Math.max(lastEnd, end);
      this.toolSpan({ name: tool.name, toolCallId: tool.toolCallId, startedAt: start, durationMs: tool.durationMs, ok: tool.ok }, span);
    }
    for (const handoff of turn.handoffs) {
      const start = stoppedAt + handoff.startMs;
      lastEnd = Math.max(lastEnd, start + (handoff.latencyMs ?? 0));
      this.handoffSpan({ ...handoff, requestedAt: start }, span);
    }
    span.end(lastEnd);
  }

  toolOutsideTurn(tool: ToolOutsideTurn): void {
    if (this.trace.traceId !== undefined) this.toolSpan(tool);
  }

  handoff(attempt: HandoffAttempt): void {
    this.metrics.handoff(attempt.from, attempt.to, attempt.status, attempt.latencyMs === null ? undefined : attempt.latencyMs / 1000);
    if (!attempt.inTurn && this.trace.traceId !== undefined) this.handoffSpan(attempt);
  }

  interruption(department: string): void {
    this.metrics.interrupted(department, this.provider);
  }

  escalation(cause: string, result: string): void {
    this.metrics.escalated(cause, result);
    this.trace.setAttributes({ 'escalation.cause': cause, 'escalation.result': result });
  }

  escalationTriggered(trigger: string, action: string): void {
    this.metrics.escalationTriggered(trigger, action);
    this.trace.setAttributes({ 'escalation.trigger': trigger });
  }

  providerError(code: string): void {
    this.metrics.providerError(code);
  }

  providerReconnect(result: 'fresh' | 'resumed'): void {
    this.metrics.providerReconnect(result);
  }

  ended(ending: { reason: string; outcome: string; department: string }): void {
    this.metrics.callOutcome(ending.outcome);
    this.trace.setAttributes({ 'call.end_reason': ending.reason, 'call.outcome': ending.outcome, 'call.department': ending.department });
    if (ending.outcome === 'failed') this.trace.fail(ending.reason);
    this.trace.end();
  }

  private toolSpan(
    tool: { name: string; toolCallId: string; startedAt: number; durationMs: number | null; ok: boolean | null },
    parent?: SpanHandle,
  ): void {
    const span = this.trace.child('tool.call', {
      startTime: tool.startedAt,
      parent,
      attributes: {
        'tool.name': tool.name,
        'tool.call_id': tool.toolCallId,
        ...(tool.ok === null ? {} : { 'tool.ok': tool.ok }),
        ...(tool.durationMs === null ? {} : { 'tool.duration_ms': tool.durationMs }),
      },
    });
    if (tool.ok === false) span.fail('tool_failed');
    span.end(tool.startedAt + (tool.durationMs ?? 0));
  }

  private handoffSpan(
    handoff: { from: string; to: string; status: string; requestedAt: number; latencyMs: number | null },
    parent?: SpanHandle,
  ): void {
    const span = this.trace.child('handoff', {
      startTime: handoff.requestedAt,
      parent,
      attributes: {
        'handoff.from': handoff.from,
        'handoff.to': handoff.to,
        'handoff.status': handoff.status,
        ...(handoff.latencyMs === null ? {} : { 'handoff.latency_ms': handoff.latencyMs }),
      },
    });
    span.end(handoff.requestedAt + (handoff.latencyMs ?? 0));
  }
}
