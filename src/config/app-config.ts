import { Injectable } from '@nestjs/common';
import { ASSEMBLYAI_VOICE_AGENT_URL, Environment, VoiceAgentProviderName } from './environment';

export const LOCAL_PROVIDER_PATH = '/local-provider/v1/ws';
export const LOCAL_PROVIDER_CONTROL_PATH = '/local-provider/control';

/** Typed, derived view of the validated environment. The only place that reads it. */
@Injectable()
export class AppConfig {
  private boundPort?: number;

  constructor(readonly env: Environment) {}

  /** Called once the HTTP server listens; PORT=0 (tests) only knows its port then. */
  bindListeningPort(port: number): void {
    this.boundPort = port;
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get port(): number {
    return this.boundPort ?? this.env.PORT;
  }

  get publicBaseUrl(): string {
    return (this.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${this.port}`).replace(/\/$/, '');
  }

  get mediaStreamUrl(): string {
    return `${this.publicBaseUrl.replace(/^http/, 'ws')}/twilio/media-stream`;
  }

  get voiceAgentProvider(): VoiceAgentProviderName {
    return this.env.VOICE_AGENT_PROVIDER ?? (this.env.ASSEMBLYAI_API_KEY ? 'assemblyai' : 'local');
  }

  /** The local provider is served by this process only outside production. */
  get servesLocalProvider(): boolean {
    return !this.isProduction && this.voiceAgentProvider === 'local';
  }

  get voiceAgentUrl(): string {
    if (this.env.VOICE_AGENT_URL) return this.env.VOICE_AGENT_URL;
    return this.voiceAgentProvider === 'local' ? `ws://127.0.0.1:${this.port}${LOCAL_PROVIDER_PATH}` : ASSEMBLYAI_VOICE_AGENT_URL;
  }

  get twilioSignaturesRequired(): boolean {
    return Boolean(this.env.TWILIO_AUTH_TOKEN);
  }

  redisKey(...parts: string[]): string {
    return [this.env.REDIS_KEY_PREFIX, ...parts].join(':');
  }
}
