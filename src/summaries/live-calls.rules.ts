import { CallEvent } from '../call-journal/call-event.types';
import { LiveCallView as RegistryLiveCall, LiveCallWithRecentEvents } from '../call-journal/call-journal.reader';
import { HUMAN_TRANSFER_TOOL, isTransferTool, transferTargetOf } from '../handoff/transfer-tools';

/** How many of a live call's latest events its view is made from. */
export const LIVE_CALL_RECENT_EVENTS = 50;

export interface LastSaid {
  speaker: 'caller' | 'agent';
  /** As journaled: already redacted. */
  text: string;
  at: string;
}

export interface PendingWork {
  /** Backend tools called and not answered yet, in the order they were called (a tool called twice is listed twice). */
  tools: string[];
  /** The department a transfer asked for and not settled yet goes to; 'human' for transfer_to_human; null when none. */
  handoffTo: string | null;
}

/** What a supervisor sees of a live call's last moments, read off the tail of its journal. */
export interface LiveCallActivity {
  lastSaid: LastSaid | null;
  pending: PendingWork;
  /** Caller turns recorded so far (a turn is recorded once the caller speaks again, or the call ends). */
  turns: number;
  /** responseLatencyMs of the latest recorded turn; null when there is none, or it went unanswered. */
  lastResponseLatencyMs: number | null;
}

export type LiveCall = RegistryLiveCall & LiveCallActivity;

export function liveCallFrom({ recentEvents, ...call }: LiveCallWithRecentEvents): LiveCall {
  return { ...call, ...liveCallActivity(recentEvents) };
}

/**
 * The activity of a call from its latest events, oldest first. Only what the events show counts:
 * a result whose call is older than them is ignored, a call whose result is not among them is pending.
 * Events are read from Redis as they were written, so every field is checked before it is used.
 */
export function liveCallActivity(events: readonly CallEvent[]): LiveCallActivity {
  let lastSaid: LastSaid | null = null;
  let lastTurn: { number: number | null; responseLatencyMs: number | null } | null = null;
  let turnEvents = 0;
  const pendingTools = new Map<string, string>();
  const pendingTransfers = new Map<string, string>();

  for (const event of events) {
    switch (event.type) {
      case 'caller.said':
      case 'agent.said':
        if (typeof event.text === 'string') {
          lastSaid = { speaker: event.type === 'caller.said' ? 'caller' : 'agent', text: event.text, at: event.at };
        }
        break;
      case 'tool.called':
        if (typeof event.toolCallId !== 'string' || typeof event.name !== 'string') break;
        if (isTransferTool(event.name)) pendingTransfers.set(event.toolCallId, transferDestination(event.name));
        else pendingTools.set(event.toolCallId, event.name);
        break;
      case 'tool.result':
      case 'tool.result.dropped':
        pendingTools.delete(event.toolCallId);
        pendingTransfers.delete(event.toolCallId);
        break;
      case 'handoff':
        // A handoff event does not name its tool call; its target does (one transfer per reply at most).
        settleFirst(pendingTransfers, event.to);
        break;
      case 'escalation':
        // The transfer to a person was placed (the call leaves the agent) or failed (a tool.result follows).
        settleFirst(pendingTransfers, 'human');
        break;
      case 'turn':
        turnEvents++;
        lastTurn = {
          number: nonNegativeNumber(event.turn),
          responseLatencyMs: nonNegativeNumber(event.responseLatencyMs),
        };
        break;
    }
  }

  return {
    lastSaid,
    pending: { tools: [...pendingTools.values()], handoffTo: [...pendingTransfers.values()].at(-1) ?? null },
    // Turns are numbered within the call, so the latest one counts those older than the events read too.
    turns: Math.max(turnEvents, lastTurn?.number ?? 0),
    lastResponseLatencyMs: lastTurn?.responseLatencyMs ?? null,
  };
}

function transferDestination(toolName: string): string {
  return toolName === HUMAN_TRANSFER_TOOL ? 'human' : (transferTargetOf(toolName) ?? toolName);
}

function settleFirst(pendingTransfers: Map<string, string>, destination: unknown): void {
  for (const [toolCallId, pendingDestination] of pendingTransfers) {
    if (pendingDestination === destination) {
      pendingTransfers.delete(toolCallId);
      return;
    }
  }
}

function nonNegativeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
