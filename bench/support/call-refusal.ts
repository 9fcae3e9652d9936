/*
 * How the service turns a call away (admission control): busy TwiML from the voice webhook,
 * or the Media Stream closed with 1013 (try again later) when `start` arrives. A refused call
 * is not a failure and carries no audio: the bench counts it apart from lost frames.
 */

/** Twilio's answer to `<Reject reason="busy"/>`: the caller hears busy, no stream is opened. */
export function isBusyTwiml(twiml: string): boolean {
  return /<Reject\b/.test(twiml);
}

export const REFUSED_CLOSE_CODE = 1013;

/** A Media Stream closed by the service before any audio came back, with the refusal code. */
export function isRefusedStream(closeCode: number, answered: boolean): boolean {
  return closeCode === REFUSED_CLOSE_CODE && !answered;
}
