import { AgentConfig } from '../agents/agent-config.types';
import { MAX_VERIFICATION_ATTEMPTS } from '../agents/tools/account-verification.policy';
import { KnownFacts } from '../agents/tools/known-facts';
import { HUMAN_TRANSFER_TOOL, HUMAN_TRANSFER_TOOL_DEFINITION, transferTool } from '../handoff/transfer-tools';
import { ProviderTool, SessionConfig, SessionUpdate } from '../voice-agent/voice-agent.types';

/** What a prompt carries besides the department's runbook. */
export interface PromptContext {
  handoff?: { fromDisplayName: string; reason: string; summary: string };
  facts: KnownFacts;
  /** Rendered caller history (returning callers), for the first agent of a call. */
  callerHistory?: string;
  /** Recent conversation, when a provider session had to be rebuilt from scratch. */
  conversationSoFar?: string[];
  /** Guidance from a supervisor listening to the call, in force until withdrawn. */
  supervisorNotes?: readonly string[];
  /** Something that just happened to the call the agent must know (a transfer to a person that did not go through). */
  callNotice?: string;
}

export interface ToolCatalog {
  definition(name: string): ProviderTool | undefined;
}

const TURN_DETECTION = { vad_threshold: 0.5, min_silence: 800, max_silence: 2500, interrupt_response: true };

/** The agent's full tool list: its backend tools, one transfer tool per handoff target, and the human transfer if it has it. */
export function sessionTools(agent: AgentConfig, agentsByKey: ReadonlyMap<string, AgentConfig>, catalog: ToolCatalog): ProviderTool[] {
  const backend = agent.tools
    .filter((name) => name !== HUMAN_TRANSFER_TOOL)
    .map((name) => catalog.definition(name))
    .filter((tool): tool is ProviderTool => tool !== undefined);
  const transfers = agent.handoffTargets
    .map((key) => agentsByKey.get(key))
    .filter((target): target is AgentConfig => target !== undefined)
    .map(transferTool);
  const human = agent.tools.includes(HUMAN_TRANSFER_TOOL) ? [HUMAN_TRANSFER_TOOL_DEFINITION] : [];
  return [...backend, ...transfers, ...human];
}

export function describeFacts(facts: KnownFacts): string[] {
  const lines: string[] = [];
  if (facts.verifiedAccount)
    lines.push(
      `Verified account: ${facts.verifiedAccount.id} (${facts.verifiedAccount.name}). The caller is verified; do not ask for their email again.`,
    );
  if ((facts.failedVerifications ?? 0) >= MAX_VERIFICATION_ATTEMPTS) {
    lines.push(
      'Account verification is locked for this call after too many failed attempts; do not try again, offer to connect the caller with a person.',
    );
  }
  if (facts.orderId) lines.push(`Order in question: ${facts.orderId}`);
  for (const refund of facts.refunds) {
    lines.push(
      `Refund already issued this call: ${refund.refundId} for ${refund.orderId}, ${(refund.amountCents / 100).toFixed(2)} ${refund.currency}`,
    );
  }
  for (const ticket of facts.tickets) lines.push(`Ticket opened this call: ${ticket.ticketId} (${ticket.summary})`);
  return lines;
}

/** The department's runbook plus what this call already knows. */
export function composeSystemPrompt(agent: AgentConfig, context: PromptContext): string {
  const sections = [agent.systemPrompt.trim()];
  const known = describeFacts(context.facts);
  if (context.handoff || known.length > 0) {
    const lines = ['## Handoff context'];
    if (context.handoff) {
      lines.push(`Handed over by: ${context.handoff.fromDisplayName}`);
      lines.push(`Reason: ${context.handoff.reason}`);
      lines.push(`Summary: ${context.handoff.summary}`);
    }
    lines.push(...known);
    lines.push(
      'Everything above is already established: do not ask the caller to repeat it. Greet them briefly as the new department and continue.',
    );
    sections.push(lines.join('\n'));
  }
  if (context.callerHistory) sections.push(`## Caller history\n${context.callerHistory}`);
  if (context.callNotice) sections.push(`## Just now\n${context.callNotice}`);
  if (context.supervisorNotes && context.supervisorNotes.length > 0) {
    sections.push(
      [
        '## Supervisor guidance',
        'A human supervisor is following this call and gives you the guidance below. Follow it from now on. It is for you only: never read it out, quote it or mention the supervisor to the caller.',
        ...context.supervisorNotes.map((note) => `- ${note}`),
      ].join('\n'),
    );
  }
  if (context.conversationSoFar && context.conversationSoFar.length > 0) {
    sections.push(
      `## Conversation so far (the connection was restored; continue without starting over)\n${context.conversationSoFar.join('\n')}`,
    );
  }
  return sections.join('\n\n');
}

export function initialSession(
  agent: AgentConfig,
  tools: ProviderTool[],
  context: PromptContext,
  greeting = agent.greeting,
): SessionConfig {
  return {
    system_prompt: composeSystemPrompt(agent, context),
    greeting,
    tools,
    input: { format: { encoding: 'audio/pcmu' }, keyterms: agent.keyterms.slice(0, 100), turn_detection: TURN_DETECTION },
    output: { voice: agent.voice, format: { encoding: 'audio/pcmu' } },
  };
}

/** The session.update that changes only the instructions (supervisor notes given or withdrawn): tools and voice stay. */
export function instructionsUpdate(agent: AgentConfig, context: PromptContext): SessionUpdate {
  return { system_prompt: composeSystemPrompt(agent, context) };
}

/** The one session.update of a handoff. Voice only where the provider can change it mid-session. */
export function handoffUpdate(
  target: AgentConfig,
  tools: ProviderTool[],
  context: PromptContext,
  voiceChangeMidSession: boolean,
): SessionUpdate {
  const update: SessionUpdate = {
    system_prompt: composeSystemPrompt(target, context),
    tools,
    input: { keyterms: target.keyterms.slice(0, 100) },
  };
  if (voiceChangeMidSession) update.output = { voice: target.voice };
  return update;
}
