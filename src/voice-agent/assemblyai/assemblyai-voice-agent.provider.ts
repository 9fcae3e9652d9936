import { SocketWatchdog } from '../../common/socket-watchdog';
import { FieldLogger } from '../../common/field-logger';
import { OpenVoiceAgentSession, VoiceAgentCapabilities, VoiceAgentProvider } from '../voice-agent.types';
import { ASSEMBLYAI_CAPABILITIES } from '../voice-agent.voices';
import { ReconnectSettings } from './assemblyai-reconnect.policy';
import { AssemblyAiVoiceAgentClient } from './assemblyai-voice-agent.client';

export interface AssemblyAiProviderOptions {
  /** A function when the URL is only known once the process listens (the local provider on our own port). */
  url: string | (() => string);
  apiKey?: string;
  headers?: Record<string, string>;
  logger: FieldLogger;
  reconnect?: Partial<ReconnectSettings>;
  /** Shared by every call's provider socket: pings them and spots the silent ones. */
  watchdog?: SocketWatchdog;
}

export class AssemblyAiVoiceAgentProvider implements VoiceAgentProvider {
  readonly name: string = 'assemblyai';
  readonly capabilities: VoiceAgentCapabilities = ASSEMBLYAI_CAPABILITIES;

  constructor(protected readonly options: AssemblyAiProviderOptions) {}

  open(session: OpenVoiceAgentSession): AssemblyAiVoiceAgentClient {
    const client = new AssemblyAiVoiceAgentClient({
      url: typeof this.options.url === 'function' ? this.options.url() : this.options.url,
      apiKey: this.options.apiKey,
      headers: { ...this.options.headers, ...this.headersFor(session) },
      logger: this.options.logger,
      reconnect: this.options.reconnect,
      watchdog: this.options.watchdog,
      callId: session.callId,
      session: session.session,
      callbacks: session.callbacks,
    });
    client.connect();
    return client;
  }

  protected headersFor(_session: OpenVoiceAgentSession): Record<string, string> {
    return {};
  }
}
