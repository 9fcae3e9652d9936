import { FieldLogger } from '../common/field-logger';
import { AgentConfig } from '../agents/agent-config.types';
import { FactsPatch, KnownFacts } from '../agents/tools/known-facts';
import { ToolResult } from '../agents/tools/tool.types';
import { HandoffLogEntry } from '../handoff/handoff.types';
import { ProviderTool, VoiceAgentProvider } from '../voice-agent/voice-agent.types';
import {
  CallEndReason,
  CallEnding,
  CallerTurn,
  CallEvent,
  CallOutcome,
  EscalationCause,
  EscalationTrigger,
} from '../call-journal/call-event.types';

/**
 * transferred: Twilio moved the call. simulated: no Twilio account here (development), so the
 * transfer was recorded and the simulated caller told. failed: the caller is still with us.
 * dialing: a warm transfer; the person is being dialled and the result comes later (the call waits for it).
 */
export const HUMAN_TRANSFER_STATUSES = ['transferred', 'simulated', 'failed', 'dialing'] as const;

export interface HumanTransferOutcome {
  status: (typeof HUMAN_TRANSFER_STATUSES)[number];
  detail: string;
}

/** Lines the service speaks itself, in its own recorded voice, when the provider cannot. */
export type SpokenPrompt = 'hold' | 'apology' | 'goodbye';

/** The Twilio side of a call, as the session sees it. */
export interface TelephonyLeg {
  /** false when the chunk was not sent: the stream is closed, or the caller's connection is not keeping up. */
  sendAudio(base64Audio: string): boolean;
  /** Drop audio Twilio has buffered (barge-in). Twilio then echoes every mark still pending. */
  clearAudio(): void;
  /** Twilio echoes it (CallSession.markPlayed) once the audio sent before it has played. */
  mark(name: string): void;
  /** Plays a recorded prompt; resolves once Twilio has played it (bounded), or at once on a closed stream. */
  playPrompt(prompt: SpokenPrompt): Promise<void>;
  /** cold: hand the call over for good, never a warm transfer (the provider is gone: nobody could take the caller back). */
  transferToHuman(request: { reason: string; summary: string; cold?: boolean }): Promise<HumanTransferOutcome>;
  /** Close the Media Stream from our side. */
  close(reason: string): void;
}

export interface AgentDirectory {
  active(key: string): AgentConfig | undefined;
  activeAll(): AgentConfig[];
}

export interface ToolExecutor {
  run(
    name: string,
    args: Record<string, unknown>,
    context: { callId: string; facts: KnownFacts },
    timeoutMs: number,
  ): Promise<{ result: ToolResult; facts?: FactsPatch; ok: boolean; durationMs: number }>;
  definition(name: string): ProviderTool | undefined;
}

export interface CallRecorder {
  record(callSid: string, event: CallEvent): void;
  finish(callSid: string, ending: CallEnding): Promise<void>;
}

export interface HandoffRecorder {
  record(entry: HandoffLogEntry): void;
}

/** The session logs through the service's logger; every line carries the call's SID as a field. */
export type SessionLogger = FieldLogger;

export interface CallSessionSettings {
  maxHandoffs: number;
  toolTimeoutMs: number;
  /** How many recent utterances rebuild a fresh provider session after a refused resume. */
  conversationMemory: number;
  /** Silence while the provider connects or reconnects, before the caller hears "one moment". */
  holdPromptAfterMs: number;
  /** A caller silent this long (the agent not speaking, nothing pending) is asked whether they are still there; 0: never. */
  silencePromptMs: number;
  /** Silent this much longer after being asked, the call ends politely (recorded as abandoned). */
  silenceEndMs: number;
  /** The longest a call may last before it is ended politely; 0: no limit. */
  maxCallMs: number;
  /** How long a warm transfer waits for Twilio's dial result before the call is taken as lost. */
  warmTransferWaitMs: number;
}

/** A tool call that ran while no caller turn was open (before the caller first spoke), for the call's trace. */
export interface ToolOutsideTurn {
  name: string;
  toolCallId: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  ok: boolean;
}

export interface HandoffAttempt {
  from: string;
  to: string;
  status: 'applied' | 'refused' | 'cancelled';
  /** Epoch ms the transfer tool call came in. */
  requestedAt: number;
  latencyMs: number | null;
  /** Part of a caller turn: its span is written with the turn's (CallTelemetry.turn). */
  inTurn: boolean;
}

/**
 * What one call reports to metrics and to its trace as it happens. Only bounded categories,
 * department keys, tool names and numbers: never a caller's number, words or email.
 */
export interface CallTelemetry {
  /** The call's trace id, for its log lines; undefined while tracing is off. */
  readonly traceId: string | undefined;
  /** W3C traceparent of the call, so the post-call job's span joins the call's trace. */
  readonly traceparent: string | undefined;
  /** A caller turn is over: latency histogram, and the turn's span with its tools and handoffs. */
  turn(turn: CallerTurn): void;
  toolOutsideTurn(tool: ToolOutsideTurn): void;
  handoff(attempt: HandoffAttempt): void;
  interruption(department: string): void;
  escalation(cause: EscalationCause, result: HumanTransferOutcome['status']): void;
  /** A department's escalation rule fired (the service moves the caller itself). */
  escalationTriggered(trigger: EscalationTrigger, action: 'escalation-handoff' | 'human-transfer'): void;
  providerError(code: string): void;
  providerReconnect(result: 'fresh' | 'resumed'): void;
  /** Closes the call's trace. */
  ended(ending: { reason: CallEndReason; outcome: CallOutcome; department: string }): void;
}

export interface CallTelemetrySource {
  /** Opens the call's trace (when tracing is on). */
  forCall(call: { callSid: string; department: string; provider: string; startedAt: Date }): CallTelemetry;
}

export interface CallSessionDependencies {
  provider: VoiceAgentProvider;
  agents: AgentDirectory;
  tools: ToolExecutor;
  recorder: CallRecorder;
  handoffs: HandoffRecorder;
  telemetry: CallTelemetrySource;
  logger: SessionLogger;
  settings: CallSessionSettings;
  now?: () => Date;
}
