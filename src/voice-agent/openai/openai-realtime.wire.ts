// Encoders and decoders for the OpenAI Realtime GA wire (PROTOCOL-OPENAI.md). Audio frames are the
// hot path (50 a second each way per call): input_audio_buffer.append is built and
// response.output_audio.delta is read without JSON; everything else is parsed and validated.

const APPEND_OPEN = '{"type":"input_audio_buffer.append","audio":"';
const FRAME_CLOSE = '"}';
const OUTPUT_AUDIO_DELTA_TYPE = '"type":"response.output_audio.delta"';
// The server puts "type" first or right after a short "event_id"; further in, the frame takes the parsed path.
const OUTPUT_AUDIO_TYPE_SEARCH_LIMIT = 96;
const DELTA_KEY = '"delta":"';
const ITEM_ID_KEY = '"item_id":"';
const QUOTE = 34;

type JsonObject = Record<string, unknown>;

// ---------- client -> server ----------

export function encodeInputAudioAppend(base64Audio: string): string {
  return APPEND_OPEN + base64Audio + FRAME_CLOSE;
}

export function encodeSessionUpdate(session: object): string {
  return JSON.stringify({ type: 'session.update', session });
}

export function encodeFunctionCallOutput(callId: string, output: string): string {
  return JSON.stringify({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output } });
}

/** A turn of an earlier session, seeded into a new one: the caller's words as input_text, the agent's as output_text. */
export function encodeHistoryMessage(role: 'user' | 'assistant', text: string): string {
  const content = [{ type: role === 'user' ? 'input_text' : 'output_text', text }];
  return JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role, content } });
}

/** event_id lets an error name the response.create it refuses. */
export function encodeResponseCreate(eventId: string, instructions?: string): string {
  return JSON.stringify(
    instructions === undefined
      ? { type: 'response.create', event_id: eventId }
      : { type: 'response.create', event_id: eventId, response: { instructions } },
  );
}

export function encodeItemTruncate(itemId: string, audioEndMs: number): string {
  return JSON.stringify({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
}

// ---------- server -> client ----------

export type OpenAiOutputItem =
  | { type: 'function_call'; id?: string; call_id: string; name: string; arguments: unknown; status?: string }
  | { type: 'message'; id?: string; role?: string; status?: string; transcript?: string }
  | { type: 'other'; item_type: string };

export interface OpenAiResponseStatusDetails {
  type?: string;
  reason?: string;
  error?: { type?: string; code?: string; message?: string };
}

/** The server events this client acts on, with the fields it reads (validated). */
export type OpenAiServerEvent =
  | { type: 'session.created'; session_id: string }
  | { type: 'session.updated'; session_id?: string }
  | { type: 'error'; code: string; message: string; error_type?: string; param?: string; event_id?: string }
  | { type: 'input_audio_buffer.speech_started' }
  | { type: 'input_audio_buffer.speech_stopped' }
  | { type: 'conversation.item.input_audio_transcription.delta'; item_id?: string; delta: string }
  | { type: 'conversation.item.input_audio_transcription.completed'; item_id?: string; transcript: string }
  | { type: 'response.created'; response_id?: string }
  | { type: 'response.output_audio_transcript.done'; response_id?: string; item_id?: string; transcript: string }
  | { type: 'response.output_item.done'; response_id?: string; item: OpenAiOutputItem }
  | {
      type: 'response.done';
      response_id?: string;
      status: string;
      status_details?: OpenAiResponseStatusDetails;
      output: OpenAiOutputItem[];
    };

export type DecodedServerFrame =
  | { kind: 'audio'; delta: string; item_id: string | undefined }
  | { kind: 'event'; event: OpenAiServerEvent }
  // A known event this client has no use for (rate limits, item and content-part bookkeeping, deltas).
  | { kind: 'ignored'; type: string }
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; reason: string };

export const IGNORED_SERVER_EVENTS: ReadonlySet<string> = new Set([
  'rate_limits.updated',
  'response.output_item.added',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_text.delta',
  'response.output_text.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'input_audio_buffer.committed',
  'input_audio_buffer.cleared',
  'input_audio_buffer.timeout_triggered',
  'conversation.created',
  'conversation.item.added',
  'conversation.item.created',
  'conversation.item.done',
  'conversation.item.retrieved',
  'conversation.item.truncated',
  'conversation.item.deleted',
  'conversation.item.input_audio_transcription.segment',
  'conversation.item.input_audio_transcription.failed',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
]);

/** The hot path: response.output_audio.delta's base64 payload, found without parsing the frame. */
export function outputAudioDelta(text: string): string | undefined {
  const at = text.lastIndexOf(OUTPUT_AUDIO_DELTA_TYPE, OUTPUT_AUDIO_TYPE_SEARCH_LIMIT);
  if (at < 1) return undefined;
  const before = text.charCodeAt(at - 1);
  // "type" must be a key of the frame itself: right after its opening brace or a comma.
  if (before !== 123 && before !== 44) return undefined;
  return stringField(text, DELTA_KEY, at + OUTPUT_AUDIO_DELTA_TYPE.length);
}

/** The item an output audio frame belongs to (a short allocation, only when the playing item changes). */
export function outputAudioItemId(text: string): string | undefined {
  return stringField(text, ITEM_ID_KEY, 0);
}

/** Whether an output audio frame belongs to `itemId`, compared in place without allocating. */
export function isOutputAudioOfItem(text: string, itemId: string): boolean {
  const key = text.indexOf(ITEM_ID_KEY);
  if (key < 0) return false;
  const valueStart = key + ITEM_ID_KEY.length;
  return text.startsWith(itemId, valueStart) && text.charCodeAt(valueStart + itemId.length) === QUOTE;
}

export function decodeServerFrame(text: string): DecodedServerFrame {
  const delta = outputAudioDelta(text);
  if (delta !== undefined) return { kind: 'audio', delta, item_id: outputAudioItemId(text) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isObject(value)) return { kind: 'malformed', reason: 'not a JSON object' };
  return serverEventFrom(value);
}

function serverEventFrom(message: JsonObject): DecodedServerFrame {
  const type = message.type;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'message without a string "type"' };
  const invalid = (field: string): DecodedServerFrame => ({ kind: 'malformed', reason: `${type}: missing or invalid "${field}"` });
  switch (type) {
    case 'response.output_audio.delta':
      return typeof message.delta === 'string' ? { kind: 'audio', delta: message.delta, item_id: text(message.item_id) } : invalid('delta');
    case 'session.created': {
      const sessionId = isObject(message.session) ? text(message.session.id) : undefined;
      return sessionId ? event({ type, session_id: sessionId }) : invalid('session.id');
    }
    case 'session.updated': {
      const sessionId = isObject(message.session) ? text(message.session.id) : undefined;
      return event(sessionId ? { type, session_id: sessionId } : { type });
    }
    case 'error':
      return errorFrom(message);
    case 'input_audio_buffer.speech_started':
    case 'input_audio_buffer.speech_stopped':
      return event({ type });
    case 'conversation.item.input_audio_transcription.delta':
      return typeof message.delta === 'string' ? event({ type, item_id: text(message.item_id), delta: message.delta }) : invalid('delta');
    case 'conversation.item.input_audio_transcription.completed':
      return typeof message.transcript === 'string'
        ? event({ type, item_id: text(message.item_id), transcript: message.transcript })
        : invalid('transcript');
    case 'response.created':
      return event({ type, response_id: isObject(message.response) ? text(message.response.id) : undefined });
    case 'response.output_audio_transcript.done':
      return typeof message.transcript === 'string'
        ? event({ type, response_id: text(message.response_id), item_id: text(message.item_id), transcript: message.transcript })
        : invalid('transcript');
    case 'response.output_item.done': {
      if (!isObject(message.item)) return invalid('item');
      const item = outputItemFrom(message.item);
      if (!item) return invalid('item');
      return event({ type, response_id: text(message.response_id), item });
    }
    case 'response.done':
      return responseDoneFrom(message);
    default:
      return IGNORED_SERVER_EVENTS.has(type) ? { kind: 'ignored', type } : { kind: 'unknown', type };
  }
}

function errorFrom(message: JsonObject): DecodedServerFrame {
  const error = message.error;
  if (!isObject(error)) return { kind: 'malformed', reason: 'error: missing or invalid "error"' };
  const errorType = text(error.type);
  // Some errors carry no code (server_error among them): the type stands in for it.
  const code = text(error.code) ?? errorType ?? 'unknown_error';
  const decoded: Extract<OpenAiServerEvent, { type: 'error' }> = { type: 'error', code, message: text(error.message) ?? '' };
  if (errorType) decoded.error_type = errorType;
  const param = text(error.param);
  if (param) decoded.param = param;
  const eventId = text(error.event_id);
  if (eventId) decoded.event_id = eventId;
  return event(decoded);
}

function responseDoneFrom(message: JsonObject): DecodedServerFrame {
  const response = message.response;
  if (!isObject(response) || typeof response.status !== 'string') {
    return { kind: 'malformed', reason: 'response.done: missing or invalid "response.status"' };
  }
  const output = Array.isArray(response.output)
    ? response.output.filter(isObject).map((item) => outputItemFrom(item) ?? { type: 'other' as const, item_type: 'invalid' })
    : [];
  const done: Extract<OpenAiServerEvent, { type: 'response.done' }> = {
    type: 'response.done',
    response_id: text(response.id),
    status: response.status,
    output,
  };
  if (isObject(response.status_details)) done.status_details = statusDetailsFrom(response.status_details);
  return event(done);
}

function statusDetailsFrom(details: JsonObject): OpenAiResponseStatusDetails {
  const decoded: OpenAiResponseStatusDetails = { type: text(details.type), reason: text(details.reason) };
  if (isObject(details.error)) {
    decoded.error = { type: text(details.error.type), code: text(details.error.code), message: text(details.error.message) };
  }
  return decoded;
}

// undefined for a function_call without call_id or name: nothing could answer it.
function outputItemFrom(item: JsonObject): OpenAiOutputItem | undefined {
  const itemType = text(item.type) ?? 'unknown';
  if (itemType === 'function_call') {
    const callId = text(item.call_id);
    const name = text(item.name);
    if (!callId || !name) return undefined;
    return { type: 'function_call', id: text(item.id), call_id: callId, name, arguments: item.arguments, status: text(item.status) };
  }
  if (itemType === 'message') {
    return { type: 'message', id: text(item.id), role: text(item.role), status: text(item.status), transcript: messageText(item.content) };
  }
  return { type: 'other', item_type: itemType };
}

// What an assistant message said: its audio transcripts, or its text parts.
function messageText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const parts = content
    .filter(isObject)
    .map((part) => text(part.transcript) ?? text(part.text))
    .filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

// ---------- helpers ----------

function event(value: OpenAiServerEvent): DecodedServerFrame {
  return { kind: 'event', event: value };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Base64 and ids never contain a quote or a backslash, so the value ends at the next quote. A
// backslash means an escaped form (e.g. "\/"), which only JSON.parse reads correctly.
function stringField(frame: string, key: string, from: number): string | undefined {
  const start = frame.indexOf(key, from);
  if (start < 0) return undefined;
  const valueStart = start + key.length;
  const end = frame.indexOf('"', valueStart);
  if (end < 0) return undefined;
  const value = frame.slice(valueStart, end);
  return value.indexOf('\\') < 0 ? value : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
