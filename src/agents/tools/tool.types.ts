import { JsonSchema } from '../../voice-agent/voice-agent.types';
import { FactsPatch, KnownFacts } from './known-facts';

export interface ToolContext {
  /** Our call id (Twilio call SID). */
  callId: string;
  facts: Readonly<KnownFacts>;
  /** Aborted when the tool's timeout passes; long work should stop. */
  signal: AbortSignal;
}

/** Every tool answers a JSON object; failures are { error: '<code>', ... } (never a throw). */
export type ToolResult = Record<string, unknown>;

export interface ToolOutcome {
  result: ToolResult;
  facts?: FactsPatch;
}

/**
 * What a tool call does, as a call's record counts it: a lookup reads, a side effect changes
 * something (a refund, a ticket), a transfer moves the caller to another department, and the
 * terminal transfer hands the call to a human and ends the AI's part.
 */
export type ToolKind = 'lookup' | 'side-effect' | 'transfer' | 'terminal';

/** Backend tools read or change; transfers belong to the handoff engine. */
export type BackendToolKind = Extract<ToolKind, 'lookup' | 'side-effect'>;

/** The kind of the tool with this name; undefined for a name no tool has (a removed tool in an old journal, a made-up name). */
export type ToolKinds = (name: string) => ToolKind | undefined;

/** A backend tool the model can call. Business rules live in execute(), not in prompts. */
export interface BackendTool {
  readonly name: string;
  readonly kind: BackendToolKind;
  readonly description: string;
  readonly parameters: JsonSchema;
  execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome>;
}
