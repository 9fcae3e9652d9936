import { EscalationRules } from './escalation-rules';

/** A department agent as stored (one version of it). */
export interface AgentConfig {
  key: string;
  displayName: string;
  version: number;
  /** The department's runbook: identity, tone, verification, tools, handoffs. */
  systemPrompt: string;
  /** Spoken when a call starts with this agent (only the first agent of a call greets). */
  greeting: string;
  voice: string;
  /** Backend tool names from the registry (and transfer_to_human for escalation). */
  tools: string[];
  /** Keys of the departments this agent may hand off to (becomes transfer_to_<key> tools). */
  handoffTargets: string[];
  /** Words that help speech recognition in this department (order ids, product names). */
  keyterms: string[];
  /** What the service escalates on by itself in this department, whatever the model says. */
  escalation: EscalationRules;
}

export const ENTRY_AGENT_KEY = 'triage';
