/**
 * The provider-neutral contract between a live call (sessions/) and a speech-to-speech
 * voice agent provider. Its shapes started from the AssemblyAI Voice Agent API (PROTOCOL.md);
 * other providers (OpenAI Realtime, PROTOCOL-OPENAI.md) map their wire onto them.
 */

export type JsonSchema = Record<string, unknown>;

export interface ProviderTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
  execution_mode?: 'interactive' | 'hold';
  timeout_seconds?: number;
}

export interface TurnDetection {
  vad_threshold?: number;
  min_silence?: number;
  max_silence?: number;
  interrupt_response?: boolean;
}

/** One turn of the conversation so far, for a session rebuilt after the provider dropped. */
export interface ConversationTurn {
  role: 'caller' | 'agent';
  text: string;
}

export interface SessionConfig {
  system_prompt: string;
  /**
   * Recent turns of a call whose provider session was rebuilt. Providers with conversation items
   * (OpenAI Realtime) add them as history; the prompt carries them too, for those without.
   */
  history?: ConversationTurn[];
  greeting?: string;
  tools?: ProviderTool[];
  input?: {
    format?: { encoding: 'audio/pcmu' | 'audio/pcm' };
    keyterms?: string[];
    turn_detection?: TurnDetection;
  };
  output?: {
    voice?: string;
    volume?: number;
    format?: { encoding: 'audio/pcmu' | 'audio/pcm' };
  };
}

/** What may change mid-session (greeting, voice and formats are immutable once the session runs). */
export type SessionUpdate = Partial<Pick<SessionConfig, 'system_prompt' | 'tools'>> & {
  input?: Pick<NonNullable<SessionConfig['input']>, 'keyterms' | 'turn_detection'>;
  output?: Pick<NonNullable<SessionConfig['output']>, 'volume' | 'voice'>;
};

// Provider -> client events. reply.audio is delivered separately through onAudio (hot path).
export interface SessionReadyEvent {
  type: 'session.ready';
  session_id: string;
}
export interface SessionUpdatedEvent {
  type: 'session.updated';
}
export interface SessionErrorEvent {
  type: 'session.error';
  code: string;
  message: string;
  param?: string;
}
export interface SessionEndedEvent {
  type: 'session.ended';
  session_duration_seconds?: number;
}
export interface ReplyStartedEvent {
  type: 'reply.started';
  reply_id?: string;
}
export interface TranscriptUserDeltaEvent {
  type: 'transcript.user.delta';
  text: string;
}
export interface TranscriptUserEvent {
  type: 'transcript.user';
  text: string;
}
export interface TranscriptAgentEvent {
  type: 'transcript.agent';
  text: string;
  interrupted?: boolean;
}
export interface ReplyDoneEvent {
  type: 'reply.done';
  status?: 'interrupted' | string;
}
/** arguments are normalised to an object by the client (the wire may carry an object or a JSON string). */
export interface ToolCallEvent {
  type: 'tool.call';
  call_id: string;
  name: string;
  arguments: Record<string, unknown>;
  // Set when the wire carried a string that is not a JSON object: arguments is then {} and the
  // session should answer with {"error":"invalid_arguments"} instead of running the tool.
  invalidArguments?: { raw: string };
}
export interface InputSpeechStartedEvent {
  type: 'input.speech.started';
}
export interface InputSpeechStoppedEvent {
  type: 'input.speech.stopped';
}

export type ProviderEvent =
  | SessionReadyEvent
  | SessionUpdatedEvent
  | SessionErrorEvent
  | SessionEndedEvent
  | ReplyStartedEvent
  | TranscriptUserDeltaEvent
  | TranscriptUserEvent
  | TranscriptAgentEvent
  | ReplyDoneEvent
  | ToolCallEvent
  | InputSpeechStartedEvent
  | InputSpeechStoppedEvent;

/** Errors after which the session stays open (PROTOCOL.md). Anything else is fatal. */
export const RECOVERABLE_SESSION_ERRORS = [
  'invalid_format',
  'invalid_audio',
  'invalid_value',
  'immutable_field',
  'invalid_config',
] as const;

export type ConnectionClosedReason =
  | { kind: 'ended' } // session.ended received or we sent session.end
  | { kind: 'fatal-error'; code: string; message: string }
  | { kind: 'lost'; message: string }; // dropped and could neither resume nor start fresh

export interface VoiceAgentCallbacks {
  /** Every provider event except reply.audio, in wire order. */
  onEvent(event: ProviderEvent): void;
  /** reply.audio payload, base64 audio/pcmu, untouched. */
  onAudio(base64Audio: string): void;
  /**
   * The socket dropped and the session runs again: resumed with session.resume (fresh false,
   * same sessionId) or, when resume was refused, restarted from onFreshSessionRequired (fresh
   * true, new sessionId). session.ready is not passed to onEvent in either case.
   */
  onResumed(info?: ResumeInfo): void;
  /** Optional: the socket dropped and the client is reconnecting; caller audio is buffered meanwhile. */
  onReconnecting?(): void;
  /**
   * Resume was refused (or the window passed): the client opens a fresh session with the
   * config this returns, normally rebuilt from the call so far.
   */
  onFreshSessionRequired(): SessionConfig;
  /** Final: the connection will not deliver anything else. */
  onClosed(reason: ConnectionClosedReason): void;
}

export interface ResumeInfo {
  fresh: boolean;
  sessionId: string;
}

export interface VoiceAgentConnection {
  readonly sessionId: string | undefined;
  /** true between session.ready and close, false while reconnecting. */
  readonly ready: boolean;
  /** Caller audio (Twilio's base64 mu-law payload, passed through untouched). Dropped before ready. */
  sendAudio(base64Audio: string): void;
  updateSession(update: SessionUpdate): void;
  /** result must already be a JSON-encoded string. */
  sendToolResult(callId: string, result: string): void;
  createReply(instructions?: string): void;
  /**
   * The caller barged in having heard `heardMs` of the reply now playing (Twilio marks say how
   * much played). A provider that keeps the reply in its context cuts it there (OpenAI:
   * conversation.item.truncate); AssemblyAI truncates on its own and need not implement this.
   */
  replyInterrupted?(heardMs: number): void;
  /** session.end, then close. Idempotent. */
  end(): void;
}

export interface VoiceAgentCapabilities {
  /** Lowercase catalog names accepted for output.voice. */
  voices: readonly string[];
  /** Used for an agent whose stored voice this provider does not have (configs written for another provider). */
  defaultVoice: string;
  /** Whether output.voice can change in a mid-session session.update. */
  voiceChangeMidSession: boolean;
}

export interface OpenVoiceAgentSession {
  /** Our call id (Twilio call SID), for logs and the local provider's control channel. */
  callId: string;
  session: SessionConfig;
  callbacks: VoiceAgentCallbacks;
}

/** Port for speech-to-speech providers; AssemblyAI's Voice Agent API is the reference. */
export interface VoiceAgentProvider {
  readonly name: string;
  readonly capabilities: VoiceAgentCapabilities;
  open(options: OpenVoiceAgentSession): VoiceAgentConnection;
}

export const VOICE_AGENT_PROVIDER = Symbol('VOICE_AGENT_PROVIDER');
