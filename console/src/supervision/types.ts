// The supervision REST API's answers, as the console reads them.
import type { Supervisor, SupervisorEndMode } from '../calls/types';

export type { Supervisor, SupervisorEndMode };

/** A supervisor's note to the agent, in force until withdrawn. */
export interface SupervisorNoteView {
  noteId: string;
  text: string;
  by: Supervisor;
  at: string;
}

/** GET /calls/:id/supervision */
export interface SupervisionStateView {
  callSid: string;
  /** The department the caller is with now. */
  department: string;
  activeNotes: SupervisorNoteView[];
  listeners: { listenerId: string; by: Supervisor; since: string }[];
}

/** POST /calls/:id/whisper */
export interface WhisperAnswer {
  callSid: string;
  note: SupervisorNoteView;
  activeNotes: SupervisorNoteView[];
}

/** POST /calls/:id/whisper/:noteId/withdraw */
export interface WithdrawAnswer {
  callSid: string;
  activeNotes: SupervisorNoteView[];
}

/** simulated: no Twilio account (development). pending: a department handoff waits for the agent's current reply to end. */
export type TakeoverStatus = 'transferred' | 'simulated' | 'applied' | 'pending';

/** POST /calls/:id/takeover */
export interface TakeoverAnswer {
  callSid: string;
  to: string;
  status: TakeoverStatus;
}

/** POST /calls/:id/end: closing while the agent says its closing line. */
export interface EndAnswer {
  callSid: string;
  mode: SupervisorEndMode;
  status: 'closing' | 'ended';
}

/** "Dana (supervisor)". */
export function supervisorLabel(by: Partial<Supervisor> | undefined): string {
  const name = by?.name || 'Someone';
  return by?.role ? `${name} (${by.role})` : name;
}
