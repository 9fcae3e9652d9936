// How the local OpenAI-compatible server judges a GA Realtime session.update (PROTOCOL-OPENAI.md),
// strictly: beta-era and unknown fields are refused, as the real API refuses them. A refused
// update changes nothing.

export const OPENAI_REALTIME_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

export type RealtimeAudioFormat = { type: 'audio/pcm'; rate: 24000 } | { type: 'audio/pcmu' } | { type: 'audio/pcma' };

export interface RealtimeTurnDetection {
  type: 'server_vad' | 'semantic_vad';
  threshold?: number;
  prefix_padding_ms?: number;
  silence_duration_ms?: number;
  idle_timeout_ms?: number | null;
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  create_response: boolean;
  interrupt_response: boolean;
}

export interface RealtimeFunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** The effective session, as session.created and session.updated show it. */
export interface RealtimeSession {
  type: 'realtime';
  object: 'realtime.session';
  id: string;
  model: string;
  expires_at: number;
  output_modalities: ('audio' | 'text')[];
  instructions: string;
  audio: {
    input: {
      format: RealtimeAudioFormat;
      transcription: { model?: string; language?: string; prompt?: string } | null;
      noise_reduction: { type: 'near_field' | 'far_field' } | null;
      turn_detection: RealtimeTurnDetection | null;
    };
    output: { format: RealtimeAudioFormat; voice: string | { id: string }; speed: number };
  };
  tools: RealtimeFunctionTool[];
  tool_choice: 'auto' | 'none' | 'required' | { type: 'function'; name: string };
  max_output_tokens: number | 'inf';
  tracing: unknown;
  truncation: unknown;
  prompt: unknown;
  include: string[] | null;
}

export type RealtimeErrorCode =
  | 'missing_required_parameter'
  | 'unknown_parameter'
  | 'invalid_type'
  | 'invalid_value'
  | 'cannot_update_voice'
  | 'conversation_already_has_active_response'
  | 'response_cancel_not_active'
  | 'input_audio_buffer_commit_empty'
  | 'invalid_json'
  | 'session_expired';

export interface RealtimeProblem {
  code: RealtimeErrorCode;
  message: string;
  param: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: RealtimeProblem };

const SESSION_FIELDS = [
  'type',
  'model',
  'output_modalities',
  'instructions',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'truncation',
  'prompt',
  'include',
];
const FORMAT_TYPES = ['audio/pcm', 'audio/pcmu', 'audio/pcma'];
const SERVER_VAD_FIELDS = [
  'type',
  'threshold',
  'prefix_padding_ms',
  'silence_duration_ms',
  'idle_timeout_ms',
  'create_response',
  'interrupt_response',
];
const SEMANTIC_VAD_FIELDS = ['type', 'eagerness', 'create_response', 'interrupt_response'];

export function defaultRealtimeSession(id: string, model: string, expiresAt: number): RealtimeSession {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id,
    model,
    expires_at: expiresAt,
    output_modalities: ['audio'],
    instructions: '',
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: defaultTurnDetection('server_vad'),
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1 },
    },
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    include: null,
  };
}

/**
 * The session after a session.update: only the fields sent change (audio.input and audio.output
 * field by field). voiceLocked: the assistant has produced audio, so the voice cannot change.
 */
export function applyRealtimeSessionUpdate(
  current: RealtimeSession,
  raw: unknown,
  rules: { voiceLocked: boolean },
): Checked<RealtimeSession> {
  if (raw === undefined) return { ok: false, problem: missingParameter('session') };
  const update = asObject(raw);
  if (!update) return refuse('invalid_type', "Invalid type for 'session': expected an object.", 'session');
  if (update.type === undefined) return { ok: false, problem: missingParameter('session.type') };
  if (update.type !== 'realtime') {
    return refuse('invalid_value', `Invalid value: ${JSON.stringify(update.type)}. Supported values are: 'realtime'.`, 'session.type');
  }
  const unknown = unknownField(update, SESSION_FIELDS, 'session');
  if (unknown) return { ok: false, problem: unknown };

  if (update.model !== undefined && update.model !== current.model) {
    return refuse('invalid_value', 'The model of a session cannot change.', 'session.model');
  }
  // Applied to a copy, so a refusal part-way leaves the session as it was.
  const next = structuredClone(current);
  const found =
    applyIf(update.instructions, (value) => applyInstructions(next, value)) ??
    applyIf(update.output_modalities, (value) => applyModalities(next, value)) ??
    applyIf(update.audio, (value) => applyAudio(next, value, current, rules)) ??
    applyIf(update.tools, (value) => applyTools(next, value)) ??
    applyIf(update.tool_choice, (value) => applyToolChoice(next, value)) ??
    applyIf(update.max_output_tokens, (value) => applyMaxOutputTokens(next, value)) ??
    applyIf(update.include, (value) => applyInclude(next, value));
  if (found) return { ok: false, problem: found };
  // Not used by the local brain: kept as sent, so session.updated shows them.
  if (update.tracing !== undefined) next.tracing = update.tracing;
  if (update.truncation !== undefined) next.truncation = update.truncation;
  if (update.prompt !== undefined) next.prompt = update.prompt;
  return { ok: true, value: next };
}

export function defaultTurnDetection(type: RealtimeTurnDetection['type']): RealtimeTurnDetection {
  return type === 'server_vad'
    ? {
        type,
        threshold: 0.5,
        prefix_padding_ms: 300,
        silence_duration_ms: 200,
        idle_timeout_ms: null,
        create_response: true,
        interrupt_response: true,
      }
    : { type, eagerness: 'auto', create_response: true, interrupt_response: true };
}

// ---------- sections ----------

function applyInstructions(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (typeof value !== 'string') return typeError('session.instructions', 'a string');
  next.instructions = value;
  return undefined;
}

function applyModalities(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (!Array.isArray(value) || value.length !== 1 || (value[0] !== 'audio' && value[0] !== 'text')) {
    return problem('invalid_value', "output_modalities must be ['audio'] or ['text'].", 'session.output_modalities');
  }
  next.output_modalities = [value[0]];
  return undefined;
}

function applyAudio(
  next: RealtimeSession,
  value: unknown,
  current: RealtimeSession,
  rules: { voiceLocked: boolean },
): RealtimeProblem | undefined {
  const audio = asObject(value);
  if (!audio) return typeError('session.audio', 'an object');
  const unknown = unknownField(audio, ['input', 'output'], 'session.audio');
  if (unknown) return unknown;
  if (audio.input !== undefined) {
    const input = asObject(audio.input);
    if (!input) return typeError('session.audio.input', 'an object');
    const found =
      unknownField(input, ['format', 'transcription', 'noise_reduction', 'turn_detection'], 'session.audio.input') ??
      applyIf(input.format, (format) => applyFormat(format, 'session.audio.input.format', next.audio.input)) ??
      applyIf(input.transcription, (transcription) => applyTranscription(next, transcription)) ??
      applyIf(input.noise_reduction, (noise) => applyNoiseReduction(next, noise)) ??
      applyIf(input.turn_detection, (detection) => applyTurnDetection(next, detection));
    if (found) return found;
  }
  if (audio.output !== undefined) {
    const output = asObject(audio.output);
    if (!output) return typeError('session.audio.output', 'an object');
    const found =
      unknownField(output, ['format', 'voice', 'speed'], 'session.audio.output') ??
      applyIf(output.format, (format) => applyFormat(format, 'session.audio.output.format', next.audio.output)) ??
      applyIf(output.voice, (voice) => applyVoice(next, voice, current, rules)) ??
      applyIf(output.speed, (speed) => applySpeed(next, speed));
    if (found) return found;
  }
  return undefined;
}

function applyFormat(value: unknown, param: string, direction: { format: RealtimeAudioFormat }): RealtimeProblem | undefined {
  const format = asObject(value);
  if (!format) return typeError(param, 'an object');
  const unknown = unknownField(format, ['type', 'rate'], param);
  if (unknown) return unknown;
  if (format.type === undefined) return missingParameter(`${param}.type`);
  if (!FORMAT_TYPES.includes(format.type as string)) {
    return problem(
      'invalid_value',
      `Invalid value: ${JSON.stringify(format.type)}. Supported values are: ${FORMAT_TYPES.join(', ')}.`,
      `${param}.type`,
    );
  }
  if (format.type === 'audio/pcm') {
    if (format.rate !== undefined && format.rate !== 24000) return problem('invalid_value', 'audio/pcm is 24000 Hz only.', `${param}.rate`);
    direction.format = { type: 'audio/pcm', rate: 24000 };
    return undefined;
  }
  // G.711 is 8 kHz by definition: no rate field.
  if (format.rate !== undefined) return problem('unknown_parameter', `Unknown parameter: '${param}.rate'.`, `${param}.rate`);
  direction.format = { type: format.type as 'audio/pcmu' | 'audio/pcma' };
  return undefined;
}

function applyTranscription(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  const param = 'session.audio.input.transcription';
  if (value === null) {
    next.audio.input.transcription = null;
    return undefined;
  }
  const transcription = asObject(value);
  if (!transcription) return typeError(param, 'an object or null');
  const unknown = unknownField(transcription, ['model', 'language', 'prompt'], param);
  if (unknown) return unknown;
  for (const key of ['model', 'language', 'prompt']) {
    if (transcription[key] !== undefined && typeof transcription[key] !== 'string') return typeError(`${param}.${key}`, 'a string');
  }
  next.audio.input.transcription = transcription as RealtimeSession['audio']['input']['transcription'];
  return undefined;
}

function applyNoiseReduction(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  const param = 'session.audio.input.noise_reduction';
  if (value === null) {
    next.audio.input.noise_reduction = null;
    return undefined;
  }
  const noise = asObject(value);
  if (!noise) return typeError(param, 'an object or null');
  const unknown = unknownField(noise, ['type'], param);
  if (unknown) return unknown;
  if (noise.type !== 'near_field' && noise.type !== 'far_field') {
    return problem('invalid_value', "noise_reduction.type must be 'near_field' or 'far_field'.", `${param}.type`);
  }
  next.audio.input.noise_reduction = { type: noise.type };
  return undefined;
}

// A turn_detection object replaces the current one: its type's defaults plus the fields sent.
function applyTurnDetection(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  const param = 'session.audio.input.turn_detection';
  if (value === null) {
    next.audio.input.turn_detection = null;
    return undefined;
  }
  const detection = asObject(value);
  if (!detection) return typeError(param, 'an object or null');
  if (detection.type === undefined) return missingParameter(`${param}.type`);
  if (detection.type !== 'server_vad' && detection.type !== 'semantic_vad') {
    return problem(
      'invalid_value',
      `Invalid value: ${JSON.stringify(detection.type)}. Supported values are: 'server_vad', 'semantic_vad'.`,
      `${param}.type`,
    );
  }
  const unknown = unknownField(detection, detection.type === 'server_vad' ? SERVER_VAD_FIELDS : SEMANTIC_VAD_FIELDS, param);
  if (unknown) return unknown;
  for (const key of ['create_response', 'interrupt_response']) {
    if (detection[key] !== undefined && typeof detection[key] !== 'boolean') return typeError(`${param}.${key}`, 'a boolean');
  }
  if (
    detection.threshold !== undefined &&
    !(typeof detection.threshold === 'number' && detection.threshold >= 0 && detection.threshold <= 1)
  ) {
    return problem('invalid_value', 'threshold must be a number from 0 to 1.', `${param}.threshold`);
  }
  for (const key of ['prefix_padding_ms', 'silence_duration_ms']) {
    if (detection[key] !== undefined && !isNonNegativeInteger(detection[key])) {
      return problem('invalid_value', `${key} must be a non-negative integer.`, `${param}.${key}`);
    }
  }
  if (detection.idle_timeout_ms !== undefined && detection.idle_timeout_ms !== null && !isNonNegativeInteger(detection.idle_timeout_ms)) {
    return problem('invalid_value', 'idle_timeout_ms must be a non-negative integer or null.', `${param}.idle_timeout_ms`);
  }
  if (detection.eagerness !== undefined && !['low', 'medium', 'high', 'auto'].includes(detection.eagerness as string)) {
    return problem('invalid_value', "eagerness must be 'low', 'medium', 'high' or 'auto'.", `${param}.eagerness`);
  }
  next.audio.input.turn_detection = { ...defaultTurnDetection(detection.type), ...(detection as Partial<RealtimeTurnDetection>) };
  return undefined;
}

function applyVoice(
  next: RealtimeSession,
  value: unknown,
  current: RealtimeSession,
  rules: { voiceLocked: boolean },
): RealtimeProblem | undefined {
  const param = 'session.audio.output.voice';
  const custom = asObject(value);
  const valid =
    (typeof value === 'string' && (OPENAI_REALTIME_VOICES as readonly string[]).includes(value)) ||
    (custom !== undefined && Object.keys(custom).length === 1 && typeof custom.id === 'string' && custom.id !== '');
  if (!valid) {
    return problem(
      'invalid_value',
      `Invalid value: ${JSON.stringify(value)}. Supported values are: ${OPENAI_REALTIME_VOICES.join(', ')}, or { "id": "<custom voice>" }.`,
      param,
    );
  }
  if (rules.voiceLocked && JSON.stringify(value) !== JSON.stringify(current.audio.output.voice)) {
    return problem('cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present.", param);
  }
  next.audio.output.voice = value as string | { id: string };
  return undefined;
}

function applySpeed(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (typeof value !== 'number' || value < 0.25 || value > 1.5) {
    return problem('invalid_value', 'speed must be a number from 0.25 to 1.5.', 'session.audio.output.speed');
  }
  next.audio.output.speed = value;
  return undefined;
}

function applyTools(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (!Array.isArray(value)) return typeError('session.tools', 'an array');
  const tools: RealtimeFunctionTool[] = [];
  const names = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const param = `session.tools[${index}]`;
    const tool = asObject(entry);
    if (!tool) return typeError(param, 'an object');
    if (tool.type === undefined) return missingParameter(`${param}.type`);
    if (tool.type !== 'function') {
      return problem(
        'invalid_value',
        `Invalid value: ${JSON.stringify(tool.type)}. The local server supports 'function' tools only.`,
        `${param}.type`,
      );
    }
    const unknown = unknownField(tool, ['type', 'name', 'description', 'parameters'], param);
    if (unknown) return unknown;
    if (typeof tool.name !== 'string' || tool.name === '') return missingParameter(`${param}.name`);
    if (names.has(tool.name)) return problem('invalid_value', `Duplicate tool name ${tool.name}.`, `${param}.name`);
    if (tool.description !== undefined && typeof tool.description !== 'string') return typeError(`${param}.description`, 'a string');
    if (tool.parameters !== undefined && !asObject(tool.parameters)) return typeError(`${param}.parameters`, 'an object (JSON Schema)');
    names.add(tool.name);
    tools.push(tool as unknown as RealtimeFunctionTool);
  }
  next.tools = tools;
  return undefined;
}

function applyToolChoice(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  const forced = asObject(value);
  if (value === 'auto' || value === 'none' || value === 'required') next.tool_choice = value;
  else if (forced && forced.type === 'function' && typeof forced.name === 'string' && Object.keys(forced).length === 2) {
    next.tool_choice = { type: 'function', name: forced.name };
  } else
    return problem('invalid_value', "tool_choice must be 'auto', 'none', 'required' or { type: 'function', name }.", 'session.tool_choice');
  return undefined;
}

function applyMaxOutputTokens(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (value !== 'inf' && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 4096)) {
    return problem('invalid_value', "max_output_tokens must be an integer from 1 to 4096, or 'inf'.", 'session.max_output_tokens');
  }
  next.max_output_tokens = value as number | 'inf';
  return undefined;
}

function applyInclude(next: RealtimeSession, value: unknown): RealtimeProblem | undefined {
  if (value !== null && !(Array.isArray(value) && value.every((entry) => typeof entry === 'string'))) {
    return typeError('session.include', 'an array of strings or null');
  }
  next.include = value as string[] | null;
  return undefined;
}

// ---------- helpers ----------

export function unknownField(object: Record<string, unknown>, allowed: readonly string[], path: string): RealtimeProblem | undefined {
  const key = Object.keys(object).find((candidate) => !allowed.includes(candidate));
  return key === undefined ? undefined : problem('unknown_parameter', `Unknown parameter: '${path}.${key}'.`, `${path}.${key}`);
}

export function problem(code: RealtimeErrorCode, message: string, param: string | null): RealtimeProblem {
  return { code, message, param };
}

export function missingParameter(param: string): RealtimeProblem {
  return problem('missing_required_parameter', `Missing required parameter: '${param}'.`, param);
}

export function typeError(param: string, expected: string): RealtimeProblem {
  return problem('invalid_type', `Invalid type for '${param}': expected ${expected}.`, param);
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function refuse<T>(code: RealtimeErrorCode, message: string, param: string): Checked<T> {
  return { ok: false, problem: problem(code, message, param) };
}

function applyIf(value: unknown, apply: (value: unknown) => RealtimeProblem | undefined): RealtimeProblem | undefined {
  return value === undefined ? undefined : apply(value);
}

function isNonNegativeInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}
