import { LISTEN_SAMPLE_RATE, smoothLevel } from './listenAudio';
import type { ListenMessage } from './listenConnection';

/**
 * idle: never started. connecting: the socket is opening. listening: audio flows.
 * ended: the call ended. refused: the service would not let us listen (why in `detail`).
 * too-slow: this browser fell behind and the service dropped it. lost: the connection broke.
 * stopped: the supervisor pressed Stop.
 */
export type ListenPhase = 'idle' | 'connecting' | 'listening' | 'ended' | 'refused' | 'too-slow' | 'lost' | 'stopped';

export interface ChannelLevels {
  caller: number;
  agent: number;
}

export interface ListenState {
  phase: ListenPhase;
  /** The socket opened (a close before that is a refused upgrade, or a service out of reach). */
  opened: boolean;
  listenerId: string | null;
  sampleRate: number;
  /** Samples per channel received since Listen was pressed. */
  samplesReceived: number;
  /** 0..1 per channel, smoothed. */
  levels: ChannelLevels;
  /** Why it ended, was refused, fell behind or was lost. */
  detail: string | null;
  /** The call's end reason, when the service said it ended. */
  endReason: string | null;
  /** This browser cannot play the audio (the meters and the counter still work). */
  audioProblem: string | null;
}

export type ListenEvent =
  | { type: 'start' }
  | { type: 'opened' }
  | { type: 'message'; message: ListenMessage }
  | { type: 'frame'; samples: number; levels: ChannelLevels }
  | { type: 'closed'; code: number; reason: string }
  | { type: 'stop' }
  | { type: 'audio-unavailable'; message: string };

const SILENT: ChannelLevels = { caller: 0, agent: 0 };

export const INITIAL_LISTEN_STATE: ListenState = {
  phase: 'idle',
  opened: false,
  listenerId: null,
  sampleRate: LISTEN_SAMPLE_RATE,
  samplesReceived: 0,
  levels: SILENT,
  detail: null,
  endReason: null,
  audioProblem: null,
};

/** Connecting or listening: a socket is (or is about to be) open. */
export function isListenActive(phase: ListenPhase): boolean {
  return phase === 'connecting' || phase === 'listening';
}

/** Whole seconds of audio received. */
export function secondsReceived(state: ListenState): number {
  return Math.floor(state.samplesReceived / state.sampleRate);
}

/** The listen socket's life: only an active listener changes on socket events, so late ones from an old socket do nothing. */
export function listenReducer(state: ListenState, event: ListenEvent): ListenState {
  if (event.type === 'start') return { ...INITIAL_LISTEN_STATE, phase: 'connecting' };
  if (event.type === 'audio-unavailable') return { ...state, audioProblem: event.message };
  if (!isListenActive(state.phase)) return state;
  switch (event.type) {
    case 'stop':
      return { ...state, phase: 'stopped', levels: SILENT, detail: null };
    case 'opened':
      return { ...state, opened: true };
    case 'frame':
      return {
        ...state,
        phase: 'listening',
        samplesReceived: state.samplesReceived + event.samples,
        levels: {
          caller: smoothLevel(state.levels.caller, event.levels.caller),
          agent: smoothLevel(state.levels.agent, event.levels.agent),
        },
      };
    case 'message':
      return onMessage(state, event.message);
    case 'closed':
      return { ...state, ...onClose(state, event.code, event.reason), levels: SILENT };
  }
}

function onMessage(state: ListenState, message: ListenMessage): ListenState {
  switch (message.type) {
    case 'listening':
      return { ...state, phase: 'listening', opened: true, listenerId: message.listenerId || null, sampleRate: message.sampleRate };
    case 'ended':
      return { ...state, phase: 'ended', levels: SILENT, endReason: message.reason || null, detail: null };
    case 'error':
      if (message.code === 'call_ended' || message.status === 409)
        return { ...state, phase: 'ended', levels: SILENT, detail: message.message };
      return { ...state, phase: 'refused', levels: SILENT, detail: message.message };
    case 'unknown':
      return state;
  }
}

/** Close codes: 4008 too slow, 4000 + an HTTP status for a call-state problem, anything else after opening a lost connection. */
function onClose(state: ListenState, code: number, reason: string): Pick<ListenState, 'phase' | 'detail'> {
  if (code === 4008) return { phase: 'too-slow', detail: reason || 'listener too slow' };
  if (code === 4409) return { phase: 'ended', detail: null };
  if (code === 4404) return { phase: 'refused', detail: reason || 'No such call is live.' };
  if (code === 4503) return { phase: 'refused', detail: reason || 'The instance holding the call did not answer.' };
  if (code === 4400) return { phase: 'refused', detail: reason || 'The service did not accept the listen request.' };
  if (code >= 4000 && code < 5000) return { phase: 'refused', detail: reason || `The service closed the connection (${code}).` };
  if (!state.opened) {
    return {
      phase: 'refused',
      detail: reason || 'The service refused the connection: your sign-in may have expired, or the service could not be reached.',
    };
  }
  return { phase: 'lost', detail: reason || `The connection closed (${code}).` };
}
