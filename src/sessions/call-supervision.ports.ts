import { CallEndReason, Supervisor, SupervisorEndMode } from '../call-journal/call-event.types';

export type { Supervisor, SupervisorEndMode };

/**
 * Both legs of a call as they are relayed, for supervisors who listen. Called on the audio path,
 * so an implementation only queues what it is given (the base64 strings as they are) and does
 * its work later, off that path. A call with no listener has no tap and pays one check a frame.
 */
export interface CallAudioTap {
  /** A caller frame as Twilio sent it (base64 mu-law, 20 ms). */
  callerAudio(base64Audio: string): void;
  /** A chunk of agent audio as it went to Twilio (base64 mu-law, any length, often ahead of real time). */
  agentAudio(base64Audio: string): void;
  /** Twilio was told to drop the agent audio it had buffered (barge-in): the caller never hears it. */
  agentAudioCleared(): void;
}

/** A supervisor's note to the agent, in its instructions until withdrawn. */
export interface SupervisorNote {
  noteId: string;
  text: string;
  by: Supervisor;
  /** ISO time it was given. */
  at: string;
}

/** What a takeover did. `pending`: a department handoff waits for the agent's reply to end (the next reply boundary). */
export type TakeoverResult =
  | { ok: true; to: string; status: 'applied' | 'pending' | 'transferred' | 'simulated' | 'dialing' }
  | { ok: false; code: 'unknown_department' | 'already_there' | 'transfer_failed' | 'call_ending'; message: string };

/** What ending a call did: `closing` while the agent says its closing line. */
export type SupervisorEndResult =
  { ok: true; mode: SupervisorEndMode; status: 'ended' | 'closing' } | { ok: false; code: 'call_ending'; message: string };

/**
 * A live call as supervision sees it: the narrow surface the supervision module acts through
 * (CallSession implements it; CallSessionService.supervised finds one on this instance).
 */
export interface SupervisedCall {
  readonly callSid: string;
  /** The department the caller is with now. */
  readonly department: string;
  /** The call is ending or has ended: nothing more can be done to it. */
  readonly ended: boolean;
  /** Settles once the call has ended. */
  readonly finished: Promise<CallEndReason>;
  /** Taps both legs' audio; undefined detaches. One tap per call: the listen side multiplexes listeners. */
  setAudioTap(tap: CallAudioTap | undefined): void;
  /** Records that a supervisor started (or stopped) listening. */
  listening(by: Supervisor, listenerId: string, state: 'started' | 'stopped'): void;
  /** The notes in force, oldest first. */
  readonly supervisorNotes: readonly SupervisorNote[];
  /** Adds a note; it reaches the agent's instructions at the next reply boundary and stays, across handoffs, until withdrawn. */
  whisper(text: string, by: Supervisor): SupervisorNote;
  /** false: no note with that id is in force. */
  withdrawWhisper(noteId: string, by: Supervisor): boolean;
  /** To 'human' (the human transfer, now) or to a department key (a handoff at the next reply boundary, or now when none is under way). */
  takeOver(to: string, by: Supervisor): Promise<TakeoverResult>;
  endBySupervisor(mode: SupervisorEndMode, by: Supervisor): SupervisorEndResult;
}
