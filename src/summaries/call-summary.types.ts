import { CallEndReason, CallOutcome, EscalationTrigger } from '../call-journal/call-event.types';
import { SupervisionSummary } from './supervision-summary.rules';

export interface DepartmentVisit {
  department: string;
  enteredAt: string;
  /** Why the call was handed to this department (null for the first one). */
  handoffReason: string | null;
}

/** One tool call as the summary lists it. */
export interface ToolCallAction {
  tool: string;
  /** What the call was about (order id, account, query), redacted like everything stored. */
  subject: string | null;
  /** no-result: the call ended before the tool answered. */
  result: 'ok' | 'error' | 'no-result';
  /** The error code the tool answered. */
  error?: string;
}

export type LookupAction = ToolCallAction;

/** A call of a tool that changes something. Every one is listed, whichever tool it is and however it went. */
export interface SideEffectAction extends ToolCallAction {
  /** The id the side effect produced (refund_id, ticket_id): the first `*_id` of an ok result that was not one of its arguments. */
  reference?: string;
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

/** How long the caller waited, per turn, from stopping speaking to the agent's first audio (responseLatencyMs). */
export interface ResponseLatency {
  /** Answered turns. */
  turns: number;
  /** Turns the agent never answered. */
  unanswered: number;
  /** Median over answered turns (the mean of the middle two for an even count), whole ms; null when none was answered. */
  medianMs: number | null;
  maxMs: number | null;
  /** Answered turns over 2000 ms: slow to the caller. */
  slowTurns: number;
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
  /**
   * What the agents did, by the kind the tool catalogue gives each tool. Transfers are not here:
   * departmentsPath and escalation say where the call went.
   */
  actions: {
    lookups: LookupAction[];
    /** Absent from summaries stored before side effects were listed; refunds and tickets have their own entries too. */
    sideEffects?: SideEffectAction[];
    /** The refunds that went through (from process_refund results), for caller history. */
    refunds: RefundAction[];
    /** The tickets opened (from create_ticket results), for caller history. */
    tickets: TicketAction[];
    escalation?: EscalationAction;
    /**
     * Calls of names the catalogue does not know (a tool since removed or renamed, in an old
     * journal; a name the model made up), kept rather than guessed at. Only when there are some.
     */
    unknownTools?: ToolCallAction[];
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
  /** Absent from summaries stored before caller turns were measured. */
  responseLatency?: ResponseLatency;
  /** Escalation rules the service enforced on the call (whatever the model said), in order; absent when none fired. */
  escalationTriggers?: {
    trigger: EscalationTrigger;
    action: 'escalation-handoff' | 'human-transfer';
    department: string;
    detail: string;
    at: string;
  }[];
  /** What supervisors did live (listened, whispered, took over, ended); absent when nobody did. */
  supervision?: SupervisionSummary;
}
