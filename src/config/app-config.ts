import { Injectable } from '@nestjs/common';
import {
  ASSEMBLYAI_VOICE_AGENT_URL,
  chosenVoiceAgentProvider,
  Environment,
  OPENAI_REALTIME_URL,
  usesLocalProvider,
  VoiceAgentProviderName,
} from './environment';

export const LOCAL_PROVIDER_PATH = '/local-provider/v1/ws';
export const LOCAL_PROVIDER_CONTROL_PATH = '/local-provider/control';
export const LOCAL_OPENAI_PROVIDER_PATH = '/local-openai/v1/realtime';

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
    return chosenVoiceAgentProvider(this.env);
  }

  /** The local servers (both wires) are served by this process only outside production, when calls go to them. */
  get servesLocalProvider(): boolean {
    return !this.isProduction && usesLocalProvider(this.env);
  }

  get voiceAgentUrl(): string {
    const local = (path: string) => `ws://127.0.0.1:${this.port}${path}`;
    if (this.voiceAgentProvider === 'openai') {
      const base = this.env.VOICE_AGENT_URL ?? (this.env.OPENAI_API_KEY ? OPENAI_REALTIME_URL : local(LOCAL_OPENAI_PROVIDER_PATH));
      return withModel(base, this.env.OPENAI_REALTIME_MODEL);
    }
    if (this.env.VOICE_AGENT_URL) return this.env.VOICE_AGENT_URL;
    return this.voiceAgentProvider === 'local' ? local(LOCAL_PROVIDER_PATH) : ASSEMBLYAI_VOICE_AGENT_URL;
  }

  get twilioSignaturesRequired(): boolean {
    return Boolean(this.env.TWILIO_AUTH_TOKEN);
  }

  redisKey(...parts: string[]): string {
    return [this.env.REDIS_KEY_PREFIX, ...parts].join(':');
  }
}

/** OpenAI Realtime takes the model as a query parameter; a URL that already names one keeps it. */
export function withModel(url: string, model: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('model')) parsed.searchParams.set('model', model);
  return parsed.toString();
}
