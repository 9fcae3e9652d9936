export type HandoffStatus = 'applied' | 'refused' | 'cancelled';

/** One handoff attempt, as the handoff log stores it. */
export interface HandoffLogEntry {
  id: string;
  callId: string;
  fromAgent: string;
  toAgent: string;
  reason: string;
  summary: string;
  status: HandoffStatus;
  /** Why it was refused or cancelled (HandoffRefusalCode or 'INTERRUPTED'). */
  code: string | null;
  requestedAt: string;
  appliedAt: string | null;
  latencyMs: number | null;
  fromVersion: number | null;
  toVersion: number | null;
}
