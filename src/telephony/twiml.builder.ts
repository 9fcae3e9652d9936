import { twiml } from 'twilio';

/** <Connect><Stream> to our media-stream URL, carrying the caller and call SID as parameters. */
export function mediaStreamTwiml(streamUrl: string, parameters: Record<string, string>): string {
  const response = new twiml.VoiceResponse();
  const stream = response.connect().stream({ url: streamUrl });
  for (const [name, value] of Object.entries(parameters)) stream.parameter({ name, value });
  return response.toString();
}

/** Turned away while the instance drains; the carrier retries (another instance). */
export function busyTwiml(): string {
  const response = new twiml.VoiceResponse();
  response.reject({ reason: 'busy' });
  return response.toString();
}

export type HumanTarget = { kind: 'number'; value: string } | { kind: 'sip'; value: string } | { kind: 'queue'; value: string };

export function parseHumanTarget(target: string): HumanTarget {
  if (/^\+?[1-9]\d{6,14}$/.test(target)) return { kind: 'number', value: target };
  if (/^sips?:/i.test(target)) return { kind: 'sip', value: target };
  return { kind: 'queue', value: target };
}

/** Where a warm transfer's callbacks go, and how long the person's phone rings. */
export interface WarmDial {
  /** The <Dial action>: Twilio posts the dial's result there. */
  resultUrl: string;
  /** The <Number url> / <Sip url>: fetched when the person answers; its TwiML is spoken to them alone. */
  whisperUrl: string;
  timeoutSeconds: number;
}

/**
 * A warm transfer: the person is dialled with a timeout; when they answer they hear who is calling
 * and why (the whisper) before the caller is connected; the result comes back to resultUrl either way.
 */
export function warmTransferTwiml(target: Exclude<HumanTarget, { kind: 'queue' }>, dial: WarmDial): string {
  const response = new twiml.VoiceResponse();
  response.say('Connecting you to a member of our team now. Please hold.');
  const dialVerb = response.dial({ action: dial.resultUrl, method: 'POST', timeout: dial.timeoutSeconds });
  if (target.kind === 'number') dialVerb.number({ url: dial.whisperUrl, method: 'POST' }, target.value);
  else dialVerb.sip({ url: dial.whisperUrl, method: 'POST' }, target.value);
  return response.toString();
}

/** Spoken to the person who answered a warm transfer, before the caller is connected. */
export function transferWhisperTwiml(handover: { reason: string; summary: string } | undefined): string {
  const response = new twiml.VoiceResponse();
  if (!handover) {
    response.say('A caller is being transferred to you from the voice assistant. The details are in the call record.');
    return response.toString();
  }
  response.say(`A caller is being transferred to you from the voice assistant. Reason: ${handover.reason.slice(0, 300)}.`);
  if (handover.summary) response.say(`Summary: ${handover.summary.slice(0, 600)}`);
  return response.toString();
}

/** Nobody took the warm transfer: the caller is told, and comes back to the agent on a new Media Stream. */
export function backToTheAgentTwiml(streamUrl: string, parameters: Record<string, string>): string {
  const response = new twiml.VoiceResponse();
  response.say('Sorry, nobody could take your call just now. I am bringing you back to our assistant.');
  const stream = response.connect().stream({ url: streamUrl });
  for (const [name, value] of Object.entries(parameters)) stream.parameter({ name, value });
  return response.toString();
}

/** Nothing more for this call on our side. */
export function hangupTwiml(apology?: string): string {
  const response = new twiml.VoiceResponse();
  if (apology) response.say(apology);
  response.hangup();
  return response.toString();
}

/**
 * Moves a live call to the human side. SIP targets get the reason and summary as X- headers;
 * a queue gets them as task attributes; every target has them in our own call record.
 */
export function humanTransferTwiml(target: HumanTarget, handover: { callSid: string; reason: string; summary: string }): string {
  const response = new twiml.VoiceResponse();
  response.say('Connecting you to a member of our team now. Please hold.');
  if (target.kind === 'number') {
    response.dial().number(target.value);
  } else if (target.kind === 'sip') {
    const headers = new URLSearchParams({
      'X-Escalation-Reason': handover.reason.slice(0, 200),
      'X-Call-Summary': handover.summary.slice(0, 400),
      'X-Original-Call': handover.callSid,
    });
    const separator = target.value.includes('?') ? '&' : '?';
    response.dial().sip(`${target.value}${separator}${headers.toString()}`);
  } else {
    const enqueue = response.enqueue({}, target.value);
    enqueue.task({}, JSON.stringify({ reason: handover.reason, summary: handover.summary, call_sid: handover.callSid }));
  }
  return response.toString();
}
