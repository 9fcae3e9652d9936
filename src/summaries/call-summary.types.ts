import { CallEndReason, CallOutcome } from '../call-journal/call-event.types';

export interface DepartmentVisit {
  department: string;
  enteredAt: string;
  /** Why the call was handed to this department (null for the first one). */
  handoffReason: string | null;
}

export interface LookupAction {
  tool: string;
  /** What was looked up (order id, account, query), redacted like everything stored. */
  subject: string | null;
  result: 'ok' | 'error' | 'no-result';
  error?: string;
}

export interface RefundAction {
  refundId: string;
  orderId: string;
  amount: number;
  currency: string;
}

export interface TicketAction {
  ticketId: string;
  summary: string | null;
}

export interface EscalationAction {
  reason: string;
  summary: string;
  target: string;
  transferred: boolean;
}

/** The structured post-call summary, stored as JSON in call_summaries.summary (already redacted). */
export interface CallSummary {
  callSid: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  /** The caller's first words, redacted; null when the caller said nothing. */
  reasonForCall: string | null;
  departmentsPath: DepartmentVisit[];
  actions: {
    lookups: LookupAction[];
    refunds: RefundAction[];
    tickets: TicketAction[];
    escalation?: EscalationAction;
  };
  outcome: CallOutcome;
  endReason: CallEndReason;
  openItems: string[];
  /**
   * Set when another instance closed the call as orphaned (its own stopped heartbeating):
   * reclaimedAt too when that instance was alive, took the call back and finished it.
   */
  orphaned?: { closedAt: string; reclaimedAt: string | null };
  handoffCount: number;
  interruptions: number;
  toolErrors: number;
}
