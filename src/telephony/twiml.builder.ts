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
