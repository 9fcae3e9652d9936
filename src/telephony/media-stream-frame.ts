/**
 * Twilio Media Stream frames (PROTOCOL.md). Media frames, 50 a second per call, and the echoes
 * of the marks that follow each chunk of agent audio take a fast path that finds the payload or
 * name without parsing the JSON; everything else is parsed and checked.
 */

export type TwilioStreamEvent =
  | { event: 'connected' }
  | { event: 'start'; streamSid: string; callSid: string; customParameters: Record<string, string> }
  | { event: 'media'; payload: string }
  | { event: 'mark'; name: string }
  | { event: 'dtmf'; digit: string }
  | { event: 'stop' };

export type FrameVerdict = { ok: true; message: TwilioStreamEvent } | { ok: false; reason: FrameRejection };

export type FrameRejection = 'not-json' | 'not-an-object' | 'unknown-event' | 'malformed-event' | 'oversized' | 'binary';

/** Twilio frames are a few hundred bytes; anything this large is not Twilio. */
export const MAX_FRAME_BYTES = 64 * 1024;

const MEDIA_PREFIX = '{"event":"media"';
const PAYLOAD_KEY = '"payload":"';
const MARK_PREFIX = '{"event":"mark"';
const NAME_KEY = '"name":"';
/** A mark name that needs no JSON escaping, as every name this service gives does. */
const PLAIN_MARK_NAME = /^[\w@.:-]+$/;

export function parseTwilioFrame(text: string): FrameVerdict {
  if (text.length > MAX_FRAME_BYTES) return { ok: false, reason: 'oversized' };
  if (text.startsWith(MEDIA_PREFIX)) {
    const start = text.indexOf(PAYLOAD_KEY);
    if (start !== -1) {
      const from = start + PAYLOAD_KEY.length;
      const end = text.indexOf('"', from);
      if (end > from) return { ok: true, message: { event: 'media', payload: text.slice(from, end) } };
    }
  }
  if (text.startsWith(MARK_PREFIX)) {
    const start = text.indexOf(NAME_KEY);
    if (start !== -1) {
      const from = start + NAME_KEY.length;
      const end = text.indexOf('"', from);
      const name = end > from ? text.slice(from, end) : '';
      if (PLAIN_MARK_NAME.test(name)) return { ok: true, message: { event: 'mark', name } };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'not-an-object' };
  return interpret(parsed as Record<string, unknown>);
}

function interpret(frame: Record<string, unknown>): FrameVerdict {
  const malformed: FrameVerdict = { ok: false, reason: 'malformed-event' };
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const object = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

  switch (frame.event) {
    case 'connected':
      return { ok: true, message: { event: 'connected' } };
    case 'start': {
      const start = object(frame.start);
      const streamSid = text(frame.streamSid) ?? text(start?.streamSid);
      const callSid = text(start?.callSid);
      if (!start || !streamSid || !callSid) return malformed;
      const parameters: Record<string, string> = {};
      for (const [name, value] of Object.entries(object(start.customParameters) ?? {})) {
        if (typeof value === 'string') parameters[name] = value;
      }
      return { ok: true, message: { event: 'start', streamSid, callSid, customParameters: parameters } };
    }
    case 'media': {
      const payload = text(object(frame.media)?.payload);
      return payload ? { ok: true, message: { event: 'media', payload } } : malformed;
    }
    case 'mark': {
      const name = text(object(frame.mark)?.name);
      return name ? { ok: true, message: { event: 'mark', name } } : malformed;
    }
    case 'dtmf': {
      const digit = text(object(frame.dtmf)?.digit);
      return digit && /^[0-9*#A-D]$/.test(digit) ? { ok: true, message: { event: 'dtmf', digit } } : malformed;
    }
    case 'stop':
      return { ok: true, message: { event: 'stop' } };
    default:
      return { ok: false, reason: 'unknown-event' };
  }
}

/** Outbound frames, built by concatenation: base64 and Twilio SIDs never need escaping. */
export function outboundMediaPrefix(streamSid: string): string {
  return `{"event":"media","streamSid":"${streamSid}","media":{"payload":"`;
}

export const OUTBOUND_MEDIA_SUFFIX = '"}}';

export function clearFrame(streamSid: string): string {
  return `{"event":"clear","streamSid":"${streamSid}"}`;
}

/** Plain names (a mark follows every chunk of agent audio) by concatenation; any other through JSON. */
export function markFrame(streamSid: string, name: string): string {
  if (PLAIN_MARK_NAME.test(name)) return `{"event":"mark","streamSid":"${streamSid}","mark":{"name":"${name}"}}`;
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}
