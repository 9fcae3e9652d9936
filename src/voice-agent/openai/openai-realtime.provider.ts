import { FieldLogger } from '../../common/field-logger';
import { SocketWatchdog } from '../../common/socket-watchdog';
import { OpenVoiceAgentSession, VoiceAgentCapabilities, VoiceAgentProvider } from '../voice-agent.types';
import { OpenAiConnectionSettings } from './openai-connection.policy';
import { OpenAiRealtimeClient } from './openai-realtime.client';
import { OPENAI_DEFAULT_VOICE, OPENAI_VOICES, SessionMappingOptions } from './openai-session.mapper';

export const OPENAI_CAPABILITIES: VoiceAgentCapabilities = {
  voices: OPENAI_VOICES,
  defaultVoice: OPENAI_DEFAULT_VOICE,
  // GA refuses a voice change once the assistant has spoken (cannot_update_voice).
  voiceChangeMidSession: false,
};

export interface OpenAiRealtimeProviderOptions {
  /** wss://api.openai.com/v1/realtime?model=<model>; a function when it is only known once the process listens (a local server). */
  url: string | (() => string);
  apiKey?: string;
  headers?: Record<string, string>;
  /** Per-call headers, e.g. the local server's call id header. */
  headersFor?: (session: OpenVoiceAgentSession) => Record<string, string>;
  logger: FieldLogger;
  reconnect?: Partial<OpenAiConnectionSettings>;
  /** Shared by every call's provider socket: pings them and spots the silent ones. */
  watchdog?: SocketWatchdog;
  /** The caller-transcription model (audio.input.transcription.model). */
  transcriptionModel?: string;
}

export class OpenAiRealtimeProvider implements VoiceAgentProvider {
  readonly name: string = 'openai';
  readonly capabilities: VoiceAgentCapabilities = OPENAI_CAPABILITIES;

  constructor(protected readonly options: OpenAiRealtimeProviderOptions) {}

  open(session: OpenVoiceAgentSession): OpenAiRealtimeClient {
    const mapping: SessionMappingOptions = { transcriptionModel: this.options.transcriptionModel };
    const client = new OpenAiRealtimeClient({
      url: typeof this.options.url === 'function' ? this.options.url() : this.options.url,
      apiKey: this.options.apiKey,
      headers: { ...this.options.headers, ...this.headersFor(session) },
      logger: this.options.logger,
      reconnect: this.options.reconnect,
      watchdog: this.options.watchdog,
      mapping,
      callId: session.callId,
      session: session.session,
      callbacks: session.callbacks,
    });
    client.connect();
    return client;
  }

  protected headersFor(session: OpenVoiceAgentSession): Record<string, string> {
    return this.options.headersFor?.(session) ?? {};
  }
}
