// GET /stats as src/summaries/dtos/stats.response.ts describes it.

export type CallOutcome = 'resolved' | 'escalated' | 'abandoned' | 'failed';

export interface HandoffCount {
  from: string;
  to: string;
  count: number;
}

export interface DepartmentHandleTime {
  department: string;
  averageSeconds: number;
  calls: number;
}

export interface CurrencyRefunds {
  currency: string;
  count: number;
  /** Major units. */
  totalAmount: number;
}

export interface GroupTurnLatency {
  turns: number;
  p50Ms: number;
  p95Ms: number;
}

export interface TurnLatency {
  turns: number;
  unanswered: number;
  overall: { turns: number; p50Ms: number | null; p95Ms: number | null };
  byDepartment: (GroupTurnLatency & { department: string })[];
  byProvider: (GroupTurnLatency & { provider: string })[];
  over2s: number;
  over3s: number;
}

export interface CallsOverTime {
  bucket: 'hour' | 'day';
  points: { start: string; calls: number; escalated: number }[];
}

export interface CallStats {
  from: string;
  to: string;
  calls: number;
  outcomes: Record<CallOutcome, number>;
  handoffMatrix: HandoffCount[];
  containment: number;
  escalationRate: number;
  averageHandleTimeSeconds: { overall: number | null; perDepartment: DepartmentHandleTime[] };
  refundsIssued: { count: number; totalAmount: number; byCurrency: CurrencyRefunds[] };
  turnLatency: TurnLatency;
  /** Newer services only: absent from one that predates it. */
  callsOverTime?: CallsOverTime;
  /** Escalations the service enforced from the departments' rules; absent from a service that predates them. */
  escalationsByTrigger?: EscalationTriggerCount[];
}

export interface EscalationTriggerCount {
  trigger: string;
  action: 'escalation-handoff' | 'human-transfer';
  count: number;
}
