import { ProviderEvent, SessionConfig, SessionErrorEvent, SessionUpdate, ToolCallEvent } from './voice-agent.types';

// Encoders and decoders for the Voice Agent API wire (PROTOCOL.md). Audio frames are the hot
// path (50 per second per direction per call): they are built and read without JSON.

const INPUT_AUDIO_PREFIX = '{"type":"input.audio"';
const INPUT_AUDIO_OPEN = '{"type":"input.audio","audio":"';
const REPLY_AUDIO_PREFIX = '{"type":"reply.audio"';
const REPLY_AUDIO_OPEN = '{"type":"reply.audio","data":"';
const FRAME_CLOSE = '"}';

type JsonObject = Record<string, unknown>;

// ---------- client -> provider ----------

export function encodeInputAudio(base64Audio: string): string {
  return INPUT_AUDIO_OPEN + base64Audio + FRAME_CLOSE;
}

export function encodeSessionUpdate(session: SessionConfig | SessionUpdate): string {
  return JSON.stringify({ type: 'session.update', session });
}

export function encodeSessionResume(sessionId: string): string {
  return JSON.stringify({ type: 'session.resume', session_id: sessionId });
}

export function encodeToolResult(callId: string, result: string): string {
  return JSON.stringify({ type: 'tool.result', call_id: callId, result });
}

export function encodeReplyCreate(instructions?: string): string {
  return JSON.stringify(instructions === undefined ? { type: 'reply.create' } : { type: 'reply.create', instructions });
}

export function encodeSessionEnd(): string {
  return '{"type":"session.end"}';
}

// ---------- provider -> client ----------

export type DecodedProviderFrame =
  | { kind: 'audio'; audio: string }
  | { kind: 'event'; event: ProviderEvent }
  | { kind: 'unknown'; type: string; message: JsonObject }
  | { kind: 'malformed'; reason: string };

/** The hot path: reply.audio's base64 payload, found without parsing or allocating a frame object. */
export function replyAudioPayload(text: string): string | undefined {
  return text.startsWith(REPLY_AUDIO_PREFIX) ? extractStringField(text, '"data":"', REPLY_AUDIO_PREFIX.length) : undefined;
}

export function decodeProviderFrame(text: string): DecodedProviderFrame {
  if (text.startsWith(REPLY_AUDIO_PREFIX)) {
    const audio = extractStringField(text, '"data":"', REPLY_AUDIO_PREFIX.length);
    if (audio !== undefined) return { kind: 'audio', audio };
  }
  const parsed = parseObject(text);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
  return providerEventFrom(parsed.value);
}

function providerEventFrom(message: JsonObject): DecodedProviderFrame {
  const type = message.type;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'message without a string "type"' };
  const invalid = (field: string): DecodedProviderFrame => ({ kind: 'malformed', reason: `${type}: missing or invalid "${field}"` });
  switch (type) {
    case 'reply.audio':
      return typeof message.data === 'string' ? { kind: 'audio', audio: message.data } : invalid('data');
    case 'session.ready':
      return typeof message.session_id === 'string' && message.session_id !== ''
        ? event({ type, session_id: message.session_id })
        : invalid('session_id');
    case 'session.updated':
    case 'input.speech.started':
    case 'input.speech.stopped':
      return event({ type });
    case 'session.error': {
      if (typeof message.code !== 'string') return invalid('code');
      const error: SessionErrorEvent = { type, code: message.code, message: typeof message.message === 'string' ? message.message : '' };
      if (typeof message.param === 'string') error.param = message.param;
      return event(error);
    }
    case 'session.ended':
      return event(
        typeof message.session_duration_seconds === 'number'
          ? { type, session_duration_seconds: message.session_duration_seconds }
          : { type },
      );
    case 'reply.started':
      return event(typeof message.reply_id === 'string' ? { type, reply_id: message.reply_id } : { type });
    case 'transcript.user.delta':
    case 'transcript.user':
      return typeof message.text === 'string' ? event({ type, text: message.text }) : invalid('text');
    case 'transcript.agent': {
      if (typeof message.text !== 'string') return invalid('text');
      return event(message.interrupted === true ? { type, text: message.text, interrupted: true } : { type, text: message.text });
    }
    case 'reply.done':
      return event(typeof message.status === 'string' ? { type, status: message.status } : { type });
    case 'tool.call':
      return toolCallFrom(message);
    default:
      return { kind: 'unknown', type, message };
  }
}

function toolCallFrom(message: JsonObject): DecodedProviderFrame {
  if (typeof message.call_id !== 'string' || message.call_id === '') return { kind: 'malformed', reason: 'tool.call: missing "call_id"' };
  if (typeof message.name !== 'string' || message.name === '') return { kind: 'malformed', reason: 'tool.call: missing "name"' };
  const call: ToolCallEvent = { type: 'tool.call', call_id: message.call_id, name: message.name, arguments: {} };
  const normalised = normaliseToolArguments(message.arguments);
  if (normalised.ok) call.arguments = normalised.value;
  else call.invalidArguments = { raw: normalised.raw };
  return event(call);
}

export function normaliseToolArguments(value: unknown): { ok: true; value: JsonObject } | { ok: false; raw: string } {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (isPlainObject(value)) return { ok: true, value };
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: true, value: {} };
    const parsed = parseObject(value);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, raw: value };
  }
  return { ok: false, raw: JSON.stringify(value) };
}

// ---------- provider side (the local server) ----------

export function encodeReplyAudio(base64Audio: string): string {
  return REPLY_AUDIO_OPEN + base64Audio + FRAME_CLOSE;
}

export type ClientMessage =
  | { type: 'session.update'; session: unknown }
  | { type: 'tool.result'; call_id: unknown; result: unknown }
  | { type: 'session.resume'; session_id: unknown }
  | { type: 'reply.create'; instructions?: unknown }
  | { type: 'session.end' };

export type DecodedClientFrame =
  | { kind: 'audio'; audio: string }
  | { kind: 'message'; message: ClientMessage; raw: JsonObject }
  | { kind: 'unknown'; type: string; raw: JsonObject }
  | { kind: 'malformed'; reason: string };

// Field checks beyond "is it there" (tool.result result is a string, ids exist) belong to the
// server, which answers them with the matching session.error code.
export function decodeClientFrame(text: string): DecodedClientFrame {
  if (text.startsWith(INPUT_AUDIO_PREFIX)) {
    const audio = extractStringField(text, '"audio":"', INPUT_AUDIO_PREFIX.length);
    if (audio !== undefined) return { kind: 'audio', audio };
  }
  const parsed = parseObject(text);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
  const raw = parsed.value;
  switch (raw.type) {
    case 'input.audio':
      return typeof raw.audio === 'string'
        ? { kind: 'audio', audio: raw.audio }
        : { kind: 'malformed', reason: 'input.audio: missing "audio"' };
    case 'session.update':
      return { kind: 'message', message: { type: 'session.update', session: raw.session }, raw };
    case 'tool.result':
      return { kind: 'message', message: { type: 'tool.result', call_id: raw.call_id, result: raw.result }, raw };
    case 'session.resume':
      return { kind: 'message', message: { type: 'session.resume', session_id: raw.session_id }, raw };
    case 'reply.create':
      return { kind: 'message', message: { type: 'reply.create', instructions: raw.instructions }, raw };
    case 'session.end':
      return { kind: 'message', message: { type: 'session.end' }, raw };
    default:
      return typeof raw.type === 'string'
        ? { kind: 'unknown', type: raw.type, raw }
        : { kind: 'malformed', reason: 'message without a string "type"' };
  }
}

// ---------- helpers ----------

function event(value: ProviderEvent): DecodedProviderFrame {
  return { kind: 'event', event: value };
}

// Base64 never contains a quote or a backslash, so the value ends at the next quote. A
// backslash means an escaped form (e.g. "\/"), which only JSON.parse reads correctly.
function extractStringField(text: string, key: string, from: number): string | undefined {
  const start = text.indexOf(key, from);
  if (start < 0) return undefined;
  const valueStart = start + key.length;
  const end = text.indexOf('"', valueStart);
  if (end < 0) return undefined;
  const value = text.slice(valueStart, end);
  return value.indexOf('\\') < 0 ? value : undefined;
}

function parseObject(text: string): { ok: true; value: JsonObject } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return isPlainObject(value) ? { ok: true, value } : { ok: false, reason: 'not a JSON object' };
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
