import { ObservedEvent } from '../voice-agent/local/local-provider-control.messages';

const KNOWN_DEPARTMENTS = ['triage', 'billing', 'refund', 'faq', 'escalation'];
const HUMAN_TRANSFER_TOOL = 'transfer_to_human';
const MAX_JSON_CHARS = 160;

export interface ConversationSummary {
  callerTurns: number;
  agentTurns: number;
  toolCalls: number;
  handoffs: string[];
  interruptions: number;
  providerErrors: number;
  transferredToHuman: boolean;
  sessionEnded: boolean;
}

/**
 * Follows one call through the local provider's observations: turns it into compact
 * terminal lines, and knows when the agent has finished answering (for scripted callers).
 */
export class ConversationTracker {
  private department?: string;
  private sessionUpdates = 0;
  private readonly toolNames = new Map<string, string>();
  private readonly pendingToolCalls = new Set<string>();
  private replyActive = false;
  private lastReplyDoneAt?: number;
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private readonly counts: ConversationSummary = {
    callerTurns: 0,
    agentTurns: 0,
    toolCalls: 0,
    handoffs: [],
    interruptions: 0,
    providerErrors: 0,
    transferredToHuman: false,
    sessionEnded: false,
  };

  /** Updates the state and returns the lines worth printing (often none). */
  record(observation: ObservedEvent, now: number): string[] {
    this.lastActivityAt = now;
    const message = observation.message;
    return observation.direction === 'provider-to-client' ? this.fromProvider(message, now) : this.fromService(message);
  }

  /** The agent has answered something said after `since`, has no tool result outstanding and has been quiet for `quietMs`. */
  isAgentIdle(now: number, quietMs: number, since: number): boolean {
    return (
      this.lastReplyDoneAt !== undefined &&
      this.lastReplyDoneAt >= since &&
      !this.replyActive &&
      this.pendingToolCalls.size === 0 &&
      now - this.lastActivityAt >= quietMs
    );
  }

  get sessionEnded(): boolean {
    return this.counts.sessionEnded;
  }

  get transferredToHuman(): boolean {
    return this.counts.transferredToHuman;
  }

  get currentDepartment(): string | undefined {
    return this.department;
  }

  /** The caller is back with the agent on a new Media Stream: the transfer did not take them away, the session goes on. */
  resumed(): void {
    this.counts.sessionEnded = false;
    this.counts.transferredToHuman = false;
    this.replyActive = false;
    this.pendingToolCalls.clear();
  }

  summary(): ConversationSummary {
    return { ...this.counts, handoffs: [...this.counts.handoffs] };
  }

  private fromProvider(message: ObservedEvent['message'], now: number): string[] {
    switch (message.type) {
      case 'transcript.user':
        this.counts.callerTurns++;
        return [`caller: ${text(message.text)}`];
      case 'transcript.agent':
        this.counts.agentTurns++;
        return [`agent (${this.department ?? '?'}): ${text(message.text)}${message.interrupted === true ? ' [cut off]' : ''}`];
      case 'reply.started':
        this.replyActive = true;
        return [];
      case 'reply.done':
        return this.onReplyDone(message, now);
      case 'tool.call':
        return this.onToolCall(message);
      case 'input.speech.started':
        // the service drops pending tool results on barge-in
        this.pendingToolCalls.clear();
        return [];
      case 'session.error':
        this.counts.providerErrors++;
        return [`provider error ${text(message.code)}: ${text(message.message)}`];
      case 'session.ended':
        this.counts.sessionEnded = true;
        this.pendingToolCalls.clear();
        return ['session ended'];
      default:
        return [];
    }
  }

  private fromService(message: ObservedEvent['message']): string[] {
    switch (message.type) {
      case 'tool.result': {
        const callId = text(message.call_id);
        this.pendingToolCalls.delete(callId);
        return [`tool result ${this.toolNames.get(callId) ?? callId} -> ${compactJson(message.result)}`];
      }
      case 'session.update':
        return this.onSessionUpdate(message);
      default:
        return [];
    }
  }

  private onReplyDone(message: ObservedEvent['message'], now: number): string[] {
    this.replyActive = false;
    this.lastReplyDoneAt = now;
    if (message.status !== 'interrupted') {
      return [];
    }
    this.counts.interruptions++;
    this.pendingToolCalls.clear();
    return ['interrupted'];
  }

  private onToolCall(message: ObservedEvent['message']): string[] {
    const callId = text(message.call_id);
    const name = text(message.name);
    this.toolNames.set(callId, name);
    this.counts.toolCalls++;
    const args = compactJson(message.arguments);
    if (name === HUMAN_TRANSFER_TOOL) {
      // terminal: the service answers with a telephony transfer, never a tool.result
      this.counts.transferredToHuman = true;
      return [`tool call ${name} ${args}`, 'transfer to human'];
    }
    this.pendingToolCalls.add(callId);
    return [`tool call ${name} ${args}`];
  }

  private onSessionUpdate(message: ObservedEvent['message']): string[] {
    const session = isRecord(message.session) ? message.session : {};
    const tools = Array.isArray(session.tools) ? `${session.tools.length} tools` : 'tools unchanged';
    const department = typeof session.system_prompt === 'string' ? guessDepartment(session.system_prompt) : undefined;
    const first = this.sessionUpdates++ === 0;
    if (first) {
      this.department = department;
      return [`session opened (${department ?? '?'}: ${tools})`];
    }
    if (department === undefined || department === this.department) {
      return [`session.update (${tools})`];
    }
    this.counts.handoffs.push(`${this.department ?? '?'} -> ${department}`);
    this.department = department;
    return [`handoff -> ${department} (session.update: ${tools})`];
  }
}

/** The department a prompt belongs to, read from its first line: the earliest department name it mentions. */
export function guessDepartment(systemPrompt: string): string | undefined {
  const firstLine = systemPrompt.trim().split(/\r?\n/)[0] ?? '';
  const lower = firstLine.toLowerCase();
  const mentioned = KNOWN_DEPARTMENTS.map((department) => ({ department, index: lower.search(new RegExp(`\\b${department}`)) }))
    .filter((candidate) => candidate.index >= 0)
    .sort((a, b) => a.index - b.index);
  if (mentioned.length > 0) {
    return mentioned[0].department;
  }
  return firstLine === '' ? undefined : firstLine.slice(0, 40);
}

export function compactJson(value: unknown): string {
  let rendered: string;
  if (typeof value === 'string') {
    try {
      rendered = JSON.stringify(JSON.parse(value));
    } catch {
      rendered = value;
    }
  } else {
    rendered = JSON.stringify(value ?? null);
  }
  return rendered.length > MAX_JSON_CHARS ? `${rendered.slice(0, MAX_JSON_CHARS)}...` : rendered;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
