// The shapes of GET /calls and GET /calls/:id as the console reads them. The vocabularies the
// service owns (turns, the handoff log, the summary) are its own types, imported as types only.
import type {
  CallerTurn,
  Supervisor,
  SupervisorEndMode,
  TurnBreakdown,
  TurnHandoff,
  TurnTool,
} from '../../../src/call-journal/call-event.types';
import type { HandoffLogEntry, HandoffStatus } from '../../../src/handoff/handoff.types';
import type {
  CallSummary as ServerCallSummary,
  DepartmentVisit,
  SideEffectAction,
  ToolCallAction,
} from '../../../src/summaries/call-summary.types';
import type { SupervisionSummary } from '../../../src/summaries/supervision-summary.rules';

export type {
  DepartmentVisit,
  HandoffStatus,
  SideEffectAction,
  SupervisionSummary,
  Supervisor,
  SupervisorEndMode,
  ToolCallAction,
  TurnBreakdown,
  TurnHandoff,
  TurnTool,
};

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

/** The caller turn as the call journal records it, with when it was recorded. */
export type CallTurn = CallerTurn & { at: string };

/** A row of the handoff log. */
export type HandoffLogRow = HandoffLogEntry;

/** Every journaled event has these; the rest depends on its type and is checked where it is read. */
export interface CallEventView {
  seq: number;
  at: string;
  type: string;
  truncated?: { originalChars: number };
  [field: string]: unknown;
}

/** The post-call summary, with the narrative and when it was written. */
export type CallSummary = ServerCallSummary & { narrative: string | null; writtenAt: string };

export interface CallDetailView extends CallView {
  events: CallEventView[];
  turns: CallTurn[];
  handoffs: HandoffLogRow[];
  summary: CallSummary | null;
}
