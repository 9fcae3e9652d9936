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

/** A backend tool the model can call. Business rules live in execute(), not in prompts. */
export interface BackendTool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome>;
}

