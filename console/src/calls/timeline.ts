import type { CallEventView, HandoffLogRow } from './types';

/** Who did a supervision action, as the event names them. */
export interface SupervisorRef {
  name: string;
  /** The token's role: supervisor or admin. */
  role: string;
}

/** A supervisor note an event refers to: its words when the call's events have them. */
export interface NoteRef {
  noteId: string;
  text: string | null;
}

interface ItemBase {
  /** The event's position in the call: a stable key. */
  seq: number;
  at: string;
  /** Set when the journal cut a long field: its size before. */
  truncatedFrom?: number;
}

export type TimelineItem = ItemBase &
  (
    | { kind: 'started'; department: string; returningCaller: boolean }
    | { kind: 'caller'; text: string }
    | { kind: 'agent'; text: string; department: string | null; interrupted: boolean; heardMs: number | null; generatedText: string | null }
    | {
        kind: 'tool';
        toolCallId: string;
        name: string;
        arguments: unknown;
        result: { ok: boolean; value: unknown; durationMs: number | null; at: string } | null;
        dropped: string | null;
        /** A transfer has no tool result: the handoff or escalation that followed it answers it. */
        answeredBy: 'handoff' | 'escalation' | null;
      }
    | { kind: 'interruption' }
    | {
        kind: 'handoff';
        handoffId: string;
        from: string;
        to: string;
        reason: string;
        summary: string;
        /** applied, refused or cancelled. */
        status: string;
        code: string | null;
        /** From the handoff log; undefined when no log row matches, null when the log has none. */
        latencyMs: number | null | undefined;
      }
    | {
        kind: 'escalation';
        cause: string | null;
        reason: string;
        summary: string;
        target: string;
        transferred: boolean;
        detail: string | null;
      }
    | { kind: 'provider-error'; code: string; message: string }
    | { kind: 'reconnected'; fresh: boolean }
    | { kind: 'dtmf'; digit: string }
    | { kind: 'twilio-status'; status: string }
    | { kind: 'ended'; reason: string; outcome: string }
    | { kind: 'reclaimed'; instanceId: string }
    | { kind: 'supervision-listen'; by: SupervisorRef; listenerId: string; state: 'started' | 'stopped' }
    | { kind: 'whisper'; by: SupervisorRef; noteId: string; text: string }
    | { kind: 'whisper-withdrawn'; by: SupervisorRef; note: NoteRef }
    /** The notes in force reached the agent's instructions (none: all were withdrawn). */
    | { kind: 'notes-applied'; department: string; notes: NoteRef[] }
    /** to: 'human' or a department; the escalation or handoff that follows says how it went. */
    | { kind: 'takeover'; by: SupervisorRef; to: string }
    | { kind: 'supervisor-end'; by: SupervisorRef; mode: 'polite' | 'now' }
    /** A department's escalation rule fired: the service moved the caller itself; the handoff or escalation follows. */
    | { kind: 'escalation-rule'; trigger: string; action: string; department: string; detail: string }
    /** A call guard acted: silence-prompt, silence-end, max-duration. */
    | { kind: 'guard'; guard: string }
    /** A warm transfer: the person is being dialled; then how the dial ended; then the caller back on a new stream. */
    | { kind: 'transfer-dialing'; reason: string; summary: string }
    | { kind: 'transfer-result'; status: string }
    | { kind: 'rejoined'; streamSid: string }
    | { kind: 'other'; type: string; fields: Record<string, unknown> }
  );

/** One department's stretch of the call: from the start, or a handoff into it, to the next handoff out. */
export interface Stint {
  department: string;
  startedAt: string;
  /** The handoff that brought the caller here (null for the first). */
  handedFrom: string | null;
  items: TimelineItem[];
}

/**
 * The call's events as a timeline grouped by department. A department changes at call.started
 * and at each applied handoff; the handoff itself closes the stint it left. Tool results join
 * their call (by toolCallId); a handoff joins its handoff log row by id, else by order.
 * Turn events are not conversation: the latency table shows them.
 */
export function timelineOf(events: CallEventView[], handoffLog: HandoffLogRow[], startedAt: string): Stint[] {
  const latencies = handoffLatencies(events, handoffLog);
  const stints: Stint[] = [];
  let current: Stint | undefined;
  const stint = (department: string, at: string, handedFrom: string | null) => {
    current = { department, startedAt: at, handedFrom, items: [] };
    stints.push(current);
    return current;
  };
  const add = (item: TimelineItem) => (current ?? stint(departmentOf(item) ?? 'unknown', startedAt, null)).items.push(item);
  const tools = new Map<string, ToolItem>();
  const unanswered: ToolItem[] = [];
  const noteTexts = new Map<string, string>();
  const noteOf = (noteId: string): NoteRef => ({ noteId, text: noteTexts.get(noteId) ?? null });

  for (const event of events) {
    const base: ItemBase = { seq: event.seq, at: event.at, ...(event.truncated ? { truncatedFrom: event.truncated.originalChars } : {}) };
    switch (event.type) {
      case 'call.started': {
        const department = text(event.department) || 'unknown';
        if (!current || current.items.length > 0 || current.department !== department) stint(department, event.at, null);
        add({ ...base, kind: 'started', department, returningCaller: event.returningCaller === true });
        break;
      }
      case 'caller.said':
        add({ ...base, kind: 'caller', text: text(event.text) });
        break;
      case 'agent.said':
        add({
          ...base,
          kind: 'agent',
          text: text(event.text),
          department: text(event.department) || null,
          interrupted: event.interrupted === true,
          heardMs: typeof event.heardMs === 'number' ? event.heardMs : null,
          generatedText: typeof event.generatedText === 'string' ? event.generatedText : null,
        });
        break;
      case 'tool.called': {
        const item: ToolItem = {
          ...base,
          kind: 'tool',
          toolCallId: text(event.toolCallId),
          name: text(event.name) || 'unknown tool',
          arguments: event.arguments ?? {},
          result: null,
          dropped: null,
          answeredBy: null,
        };
        if (item.toolCallId) tools.set(item.toolCallId, item);
        unanswered.push(item);
        add(item);
        break;
      }
      case 'tool.result': {
        const result = {
          ok: event.ok === true,
          value: event.result,
          durationMs: typeof event.durationMs === 'number' ? event.durationMs : null,
          at: event.at,
        };
        const called = tools.get(text(event.toolCallId));
        if (called) called.result = result;
        else add(uncalledTool(base, event, { result }));
        break;
      }
      case 'tool.result.dropped': {
        const reason = text(event.reason) || 'dropped';
        const called = tools.get(text(event.toolCallId));
        if (called) called.dropped = reason;
        else add(uncalledTool(base, event, { dropped: reason }));
        break;
      }
      case 'interruption':
        add({ ...base, kind: 'interruption' });
        break;
      case 'handoff': {
        const handoffId = text(event.handoffId);
        const status = text(event.status);
        const to = text(event.to);
        answer(unanswered, 'handoff', to);
        add({
          ...base,
          kind: 'handoff',
          handoffId,
          from: text(event.from),
          to,
          reason: text(event.reason),
          summary: text(event.summary),
          status,
          code: text(event.code) || null,
          latencyMs: latencies.get(event.seq),
        });
        if (status === 'applied' && to) stint(to, event.at, text(event.from) || null);
        break;
      }
      case 'escalation':
        answer(unanswered, 'escalation', 'human');
        add({
          ...base,
          kind: 'escalation',
          cause: text(event.cause) || null,
          reason: text(event.reason),
          summary: text(event.summary),
          target: text(event.target),
          transferred: event.transferred === true,
          detail: text(event.detail) || null,
        });
        break;
      case 'provider.error':
        add({ ...base, kind: 'provider-error', code: text(event.code), message: text(event.message) });
        break;
      case 'provider.reconnected':
        add({ ...base, kind: 'reconnected', fresh: event.fresh === true });
        break;
      case 'dtmf':
        add({ ...base, kind: 'dtmf', digit: text(event.digit) });
        break;
      case 'twilio.status':
        add({ ...base, kind: 'twilio-status', status: text(event.status) });
        break;
      case 'call.ended':
        add({ ...base, kind: 'ended', reason: text(event.reason), outcome: text(event.outcome) });
        break;
      case 'call.reclaimed':
        add({ ...base, kind: 'reclaimed', instanceId: text(event.instanceId) });
        break;
      case 'supervision.listen':
        add({
          ...base,
          kind: 'supervision-listen',
          by: supervisorOf(event.by),
          listenerId: text(event.listenerId),
          state: event.state === 'stopped' ? 'stopped' : 'started',
        });
        break;
      case 'supervision.whisper': {
        const noteId = text(event.noteId);
        noteTexts.set(noteId, text(event.text));
        add({ ...base, kind: 'whisper', by: supervisorOf(event.by), noteId, text: text(event.text) });
        break;
      }
      case 'supervision.whisper.withdrawn':
        add({ ...base, kind: 'whisper-withdrawn', by: supervisorOf(event.by), note: noteOf(text(event.noteId)) });
        break;
      case 'supervision.notes.applied':
        add({
          ...base,
          kind: 'notes-applied',
          department: text(event.department),
          notes: (Array.isArray(event.noteIds) ? event.noteIds : []).map((noteId) => noteOf(text(noteId))),
        });
        break;
      case 'supervision.takeover':
        add({ ...base, kind: 'takeover', by: supervisorOf(event.by), to: text(event.to) });
        break;
      case 'supervision.end':
        add({ ...base, kind: 'supervisor-end', by: supervisorOf(event.by), mode: event.mode === 'now' ? 'now' : 'polite' });
        break;
      case 'escalation.triggered':
        add({
          ...base,
          kind: 'escalation-rule',
          trigger: text(event.trigger),
          action: text(event.action),
          department: text(event.department),
          detail: text(event.detail),
        });
        break;
      case 'call.guard':
        add({ ...base, kind: 'guard', guard: text(event.guard) });
        break;
      case 'transfer.dialing':
        // The transfer tool is answered by the escalation event that records the dial's result.
        add({ ...base, kind: 'transfer-dialing', reason: text(event.reason), summary: text(event.summary) });
        break;
      case 'transfer.result':
        add({ ...base, kind: 'transfer-result', status: text(event.status) });
        break;
      case 'call.rejoined':
        add({ ...base, kind: 'rejoined', streamSid: text(event.streamSid) });
        break;
      case 'turn':
        break;
      default: {
        const { seq: _seq, at: _at, type, truncated: _truncated, ...fields } = event;
        add({ ...base, kind: 'other', type, fields });
      }
    }
  }
  return stints;
}

type ToolItem = Extract<TimelineItem, { kind: 'tool' }>;

/**
 * Marks the transfer a handoff or escalation settled: the latest tool call still without a
 * result, preferring one whose name mentions where the caller went.
 */
function answer(unanswered: ToolItem[], by: 'handoff' | 'escalation', target: string): void {
  const open = unanswered.filter((tool) => tool.result === null && tool.dropped === null && tool.answeredBy === null);
  const named = target ? open.filter((tool) => tool.name.includes(target)) : [];
  const settled = (named.length > 0 ? named : open).at(-1);
  if (settled) settled.answeredBy = by;
}

/** seq of each handoff event -> its logged latency: by handoff id, else the n-th event with the n-th row of the same move. */
function handoffLatencies(events: CallEventView[], log: HandoffLogRow[]): Map<number, number | null> {
  const byId = new Map(log.map((row) => [row.id, row]));
  const unmatched = [...log]
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
    .filter((row) => !events.some((event) => event.handoffId === row.id));
  const latencies = new Map<number, number | null>();
  for (const event of events) {
    if (event.type !== 'handoff') continue;
    let row = byId.get(text(event.handoffId));
    if (!row) {
      const index = unmatched.findIndex((candidate) => candidate.fromAgent === event.from && candidate.toAgent === event.to);
      if (index !== -1) [row] = unmatched.splice(index, 1);
    }
    if (row) latencies.set(event.seq, row.latencyMs);
  }
  return latencies;
}

function departmentOf(item: TimelineItem): string | undefined {
  return item.kind === 'agent' ? (item.department ?? undefined) : undefined;
}

/** A result or drop whose tool.called is not among the events: the tool as the result names it. */
function uncalledTool(base: ItemBase, event: CallEventView, outcome: Pick<ToolItem, 'result'> | Pick<ToolItem, 'dropped'>): ToolItem {
  return {
    ...base,
    kind: 'tool',
    toolCallId: text(event.toolCallId),
    name: text(event.name),
    arguments: undefined,
    result: null,
    dropped: null,
    answeredBy: null,
    ...outcome,
  };
}

function supervisorOf(value: unknown): SupervisorRef {
  const by = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { name: text(by.name) || 'unknown', role: text(by.role) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
