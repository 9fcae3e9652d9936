/** One earlier call of a caller, as a later call's first agent is told about it. */
export interface CallerHistoryEntry {
  callId: string;
  at: string;
  departments: string[];
  /** The call's outcome (the call journal's CallOutcome). */
  outcome: string;
  summary: string;
  references: { orders: string[]; refunds: string[]; tickets: string[] };
}
