import { FieldLogger } from '../common/field-logger';
import { AgentConfig } from '../agents/agent-config.types';
import { FactsPatch, KnownFacts } from '../agents/tools/known-facts';
import { ToolResult } from '../agents/tools/tool.types';
import { HandoffLogEntry } from '../handoff/handoff.types';
import { ProviderTool, VoiceAgentProvider } from '../voice-agent/voice-agent.types';
import { CallEnding, CallEvent } from '../call-journal/call-event.types';

/**
 * transferred: Twilio moved the call. simulated: no Twilio account here (development), so the
 * transfer was recorded and the simulated caller told. failed: the caller is still with us.
 */
export interface HumanTransferOutcome {
  status: 'transferred' | 'simulated' | 'failed';
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
  transferToHuman(request: { reason: string; summary: string }): Promise<HumanTransferOutcome>;
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
}

export interface CallSessionMetrics {
  handoff(from: string, to: string, status: string, latencySeconds?: number): void;
  providerError(code: string): void;
  providerReconnect(result: string): void;
}

export interface CallSessionDependencies {
  provider: VoiceAgentProvider;
  agents: AgentDirectory;
  tools: ToolExecutor;
  recorder: CallRecorder;
  handoffs: HandoffRecorder;
  metrics: CallSessionMetrics;
  logger: SessionLogger;
  settings: CallSessionSettings;
  now?: () => Date;
}
