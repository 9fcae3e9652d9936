import { ProviderTool, SessionConfig, SessionUpdate, TurnDetection } from '../voice-agent.types';

// SessionConfig (the provider-neutral shape, PROTOCOL.md) -> the GA `session` object of
// session.update (PROTOCOL-OPENAI.md). Pure.

export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;
export const OPENAI_DEFAULT_VOICE = 'marin';
export const DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

const DEFAULT_VAD_THRESHOLD = 0.5;
const DEFAULT_SILENCE_MS = 500;
const PREFIX_PADDING_MS = 300;
const MAX_KEYTERMS = 100;

export interface SessionMappingOptions {
  transcriptionModel?: string;
}

export type RealtimeAudioFormat = { type: 'audio/pcmu' } | { type: 'audio/pcm'; rate: 24000 };

export interface RealtimeFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface RealtimeServerVad {
  type: 'server_vad';
  threshold: number;
  prefix_padding_ms: number;
  silence_duration_ms: number;
  create_response: true;
  interrupt_response: boolean;
}

export interface RealtimeSession {
  type: 'realtime';
  instructions: string;
  output_modalities: ['audio'];
  audio: {
    input: { format: RealtimeAudioFormat; transcription: { model: string; prompt?: string }; turn_detection: RealtimeServerVad };
    output: { format: RealtimeAudioFormat; voice: string };
  };
  tools: RealtimeFunctionTool[];
  tool_choice: 'auto';
}

/** What a mid-session update may carry on this provider: never `audio` (formats, voice). */
export interface RealtimeSessionPatch {
  type: 'realtime';
  instructions?: string;
  tools?: RealtimeFunctionTool[];
}

export function realtimeSessionFrom(config: SessionConfig, options: SessionMappingOptions = {}): RealtimeSession {
  const transcription: RealtimeSession['audio']['input']['transcription'] = {
    model: options.transcriptionModel ?? DEFAULT_TRANSCRIPTION_MODEL,
  };
  const prompt = keytermsPrompt(config.input?.keyterms);
  if (prompt) transcription.prompt = prompt;
  return {
    type: 'realtime',
    instructions: config.system_prompt,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: audioFormat(config.input?.format?.encoding),
        transcription,
        turn_detection: serverVadFrom(config.input?.turn_detection),
      },
      output: { format: audioFormat(config.output?.format?.encoding), voice: openAiVoice(config.output?.voice) },
    },
    tools: (config.tools ?? []).map(functionTool),
    tool_choice: 'auto',
  };
}

/**
 * A handoff's update: prompt and tools only. Resending `audio` has reset other bridges' format
 * to PCM mid-call (static on Twilio); a voice change fails once audio was produced, so
 * output.voice is ignored, as are keyterms and turn detection (they live under `audio`).
 * undefined when the update changes nothing this provider can change.
 */
export function realtimeSessionPatchFrom(update: SessionUpdate): RealtimeSessionPatch | undefined {
  if (update.system_prompt === undefined && update.tools === undefined) return undefined;
  const patch: RealtimeSessionPatch = { type: 'realtime' };
  if (update.system_prompt !== undefined) patch.instructions = update.system_prompt;
  if (update.tools !== undefined) patch.tools = update.tools.map(functionTool);
  return patch;
}

/** GA has no greeting field: the greeting is a first response with these instructions. */
export function greetingInstructions(greeting: string | undefined): string | undefined {
  if (greeting === undefined || greeting.trim() === '') return undefined;
  return `Say exactly: "${greeting}"`;
}

/** A voice this provider has: the config's own, else the default (configs may be written for another provider). */
export function openAiVoice(voice: string | undefined): string {
  return voice !== undefined && (OPENAI_VOICES as readonly string[]).includes(voice) ? voice : OPENAI_DEFAULT_VOICE;
}

/** Bytes of output audio per millisecond: mu-law at 8 kHz is 8, PCM16 at 24 kHz 48. */
export function outputBytesPerMs(config: SessionConfig): number {
  return config.output?.format?.encoding === 'audio/pcm' ? 48 : 8;
}

/**
 * GA has no keyterms. The speech model hears the audio itself; only the caller's transcript
 * (the journal, the summary) gains from the terms, so they go into the transcription prompt.
 */
export function keytermsPrompt(keyterms: readonly string[] | undefined): string | undefined {
  const terms = (keyterms ?? []).map((term) => term.trim()).filter((term) => term !== '');
  if (terms.length === 0) return undefined;
  return `Terms that may come up: ${terms.slice(0, MAX_KEYTERMS).join(', ')}.`;
}

function serverVadFrom(turnDetection: TurnDetection | undefined): RealtimeServerVad {
  // max_silence has no server_vad counterpart (idle_timeout_ms means something else): not sent.
  return {
    type: 'server_vad',
    threshold: vadThreshold(turnDetection?.vad_threshold),
    prefix_padding_ms: PREFIX_PADDING_MS,
    silence_duration_ms: Math.max(0, Math.round(turnDetection?.min_silence ?? DEFAULT_SILENCE_MS)),
    create_response: true,
    interrupt_response: turnDetection?.interrupt_response ?? true,
  };
}

function audioFormat(encoding: 'audio/pcmu' | 'audio/pcm' | undefined): RealtimeAudioFormat {
  return encoding === 'audio/pcm' ? { type: 'audio/pcm', rate: 24000 } : { type: 'audio/pcmu' };
}

// execution_mode and timeout_seconds are AssemblyAI's; GA refuses unknown tool fields.
function functionTool(tool: ProviderTool): RealtimeFunctionTool {
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters };
}

function vadThreshold(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : DEFAULT_VAD_THRESHOLD;
}
