// The shapes of GET /calls and GET /calls/:id as the console reads them
// (src/summaries/dtos/call.response.ts, src/call-journal/call-event.types.ts, src/summaries/call-summary.types.ts).

export const CALL_OUTCOMES = ['resolved', 'escalated', 'abandoned', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** summarised: in Postgres; live: still on a line; ended: over, summary not written yet. */
export type CallRecordStatus = 'summarised' | 'live' | 'ended';

export interface CallView {
  callSid: string;
  streamSid: string;
  fromMasked: string;
  toMasked: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  finalDepartment: string | null;
  departments: string[];
  outcome: CallOutcome | null;
  endReason: string | null;
  status: CallRecordStatus;
}

export interface CallList {
  items: CallView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface TurnBreakdown {
  toolsMs: number;
  handoffsMs: number;
  otherMs: number;
}

export interface TurnTool {
  toolCallId: string;
  name: string;
  startMs: number;
  durationMs: number | null;
  ok: boolean | null;
}

export interface TurnHandoff {
  from: string;
  to: string;
  status: HandoffStatus;
  startMs: number;
  latencyMs: number | null;
}

export interface CallTurn {
  at: string;
  turn: number;
  department: string;
  provider: string;
  callerStoppedAt: string;
  measuredFrom: 'speech-end' | 'transcript';
  responseLatencyMs: number | null;
  answerLatencyMs: number | null;
  breakdown?: TurnBreakdown;
  tools: TurnTool[];
  handoffs: TurnHandoff[];
}

export type HandoffStatus = 'applied' | 'refused' | 'cancelled';

/** A row of the handoff log. */
export interface HandoffLogRow {
  id: string;
  callId: string;
  fromAgent: string;
  toAgent: string;
  reason: string;
  summary: string;
  status: HandoffStatus;
  code: string | null;
  requestedAt: string;
  appliedAt: string | null;
  latencyMs: number | null;
  fromVersion: number | null;
  toVersion: number | null;
}

/** Every journaled event has these; the rest depends on its type and is checked where it is read. */
export interface CallEventView {
  seq: number;
  at: string;
  type: string;
  truncated?: { originalChars: number };
  [field: string]: unknown;
}

export interface DepartmentVisit {
  department: string;
  enteredAt: string;
  handoffReason: string | null;
}

export interface ToolCallAction {
  tool: string;
  subject: string | null;
  result: 'ok' | 'error' | 'no-result';
  error?: string;
  /** Side effects only: the id the side effect produced. */
  reference?: string;
}

export interface CallSummary {
  callSid: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  reasonForCall: string | null;
  departmentsPath: DepartmentVisit[];
  actions: {
    lookups: ToolCallAction[];
    sideEffects?: ToolCallAction[];
    refunds: { refundId: string; orderId: string; amount: number; currency: string }[];
    tickets: { ticketId: string; summary: string | null }[];
    escalation?: { reason: string; summary: string; target: string; transferred: boolean };
    unknownTools?: ToolCallAction[];
  };
  outcome: CallOutcome;
  endReason: string;
  openItems: string[];
  orphaned?: { closedAt: string; reclaimedAt: string | null };
  handoffCount: number;
  interruptions: number;
  toolErrors: number;
  responseLatency?: { turns: number; unanswered: number; medianMs: number | null; maxMs: number | null; slowTurns: number };
  narrative: string | null;
  writtenAt: string;
}

export interface CallDetailView extends CallView {
  events: CallEventView[];
  turns: CallTurn[];
  handoffs: HandoffLogRow[];
  summary: CallSummary | null;
}
