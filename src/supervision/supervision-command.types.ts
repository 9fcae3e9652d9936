import { Supervisor, SupervisorEndMode } from '../sessions/call-supervision.ports';

/**
 * What a supervisor asks of a live call. Routed to the instance holding the call (in process when
 * it is this one, else over Redis), executed there by SupervisionExecutor.
 */
export type SupervisionCommand =
  | { kind: 'whisper'; text: string; by: Supervisor }
  | { kind: 'withdraw-whisper'; noteId: string; by: Supervisor }
  | { kind: 'takeover'; to: string; by: Supervisor }
  | { kind: 'end'; mode: SupervisorEndMode; by: Supervisor }
  /** Start listening, or renew the lease of a listener already known; the audio flows while leases are current. */
  | { kind: 'listen'; listenerId: string; by: Supervisor; leaseMs: number }
  | { kind: 'stop-listening'; listenerId: string; by: Supervisor }
  /** The call's supervision as it stands: department, notes in force, listeners. */
  | { kind: 'status' };

export type SupervisionCommandKind = SupervisionCommand['kind'];

/** HTTP statuses a refusal maps to (the REST layer turns them into the service's JSON error). */
export type SupervisionRefusalStatus = 400 | 404 | 409 | 502 | 503;

export type SupervisionOutcome =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: SupervisionRefusalStatus; code: string; message: string; field?: string };
