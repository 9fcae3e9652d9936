export interface AdmissionState {
  draining: boolean;
  liveCalls: number;
  /** 0: no fixed limit. */
  maxLiveCalls: number;
  eventLoopLagMs: number;
  /** 0: lag is not considered. */
  maxEventLoopLagMs: number;
}

export type AdmissionDecision = { admitted: true } | { admitted: false; reason: 'draining' | 'at-capacity' | 'overloaded' };

/**
 * Whether this process takes one more call. Past saturation every live call degrades at once,
 * so a new call is better sent elsewhere (busy) than let in.
 */
export function admitCall(state: AdmissionState): AdmissionDecision {
  if (state.draining) return { admitted: false, reason: 'draining' };
  if (state.maxLiveCalls > 0 && state.liveCalls >= state.maxLiveCalls) return { admitted: false, reason: 'at-capacity' };
  if (state.maxEventLoopLagMs > 0 && state.eventLoopLagMs > state.maxEventLoopLagMs) return { admitted: false, reason: 'overloaded' };
  return { admitted: true };
}
