import { Logger, Module } from '@nestjs/common';
import { fieldLogger } from '../common/field-logger';
import { SocketWatchdog } from '../common/socket-watchdog';
import { AppConfig } from '../config/app-config';
import { AssemblyAiVoiceAgentProvider } from './assemblyai/assemblyai-voice-agent.provider';
import { LOCAL_CALL_ID_HEADER, LocalVoiceAgentProvider } from './local/local-voice-agent.provider';
import { OpenAiRealtimeProvider } from './openai/openai-realtime.provider';
import { LocalVoiceAgentServer } from './local/local-voice-agent.server';
import { VOICE_AGENT_PROVIDER, VoiceAgentProvider } from './voice-agent.types';

// The local server instance, or null when this process does not serve it (production, or a
// real provider configured). The app mounts it with server.on('upgrade', ...) -> handleUpgrade.
export const LOCAL_VOICE_AGENT_SERVER = Symbol('LOCAL_VOICE_AGENT_SERVER');

const LOCAL_OPENAI_DEVELOPMENT_KEY = 'local-development-key';

export function createVoiceAgentProvider(config: AppConfig, logger = new Logger('VoiceAgent')): VoiceAgentProvider {
  const shared = {
    url: () => config.voiceAgentUrl,
    logger: fieldLogger(logger),
    reconnect: { recoveryDeadlineMs: config.env.PROVIDER_RECOVERY_TIMEOUT_MS },
    watchdog: new SocketWatchdog(config.env.SOCKET_PING_INTERVAL_MS),
  };
  switch (config.voiceAgentProvider) {
    case 'openai':
      return new OpenAiRealtimeProvider({
        ...shared,
        // The local OpenAI-compatible server wants a key like the real one, and the call id to address the call.
        apiKey: config.env.OPENAI_API_KEY ?? LOCAL_OPENAI_DEVELOPMENT_KEY,
        headersFor: config.servesLocalProvider ? (session) => ({ [LOCAL_CALL_ID_HEADER]: session.callId }) : undefined,
      });
    case 'local':
      return new LocalVoiceAgentProvider({ ...shared, apiKey: config.env.ASSEMBLYAI_API_KEY });
    case 'assemblyai':
      return new AssemblyAiVoiceAgentProvider({ ...shared, apiKey: config.env.ASSEMBLYAI_API_KEY });
  }
}

export function createLocalVoiceAgentServer(config: AppConfig, logger = new Logger('LocalVoiceAgentServer')): LocalVoiceAgentServer | null {
  if (!config.servesLocalProvider) return null;
  return new LocalVoiceAgentServer({
    logger: fieldLogger(logger),
    msPerWord: config.env.LOCAL_PROVIDER_MS_PER_WORD,
    replyDelayMs: config.env.LOCAL_PROVIDER_REPLY_DELAY_MS,
  });
}

@Module({
  providers: [
    { provide: VOICE_AGENT_PROVIDER, inject: [AppConfig], useFactory: (config: AppConfig) => createVoiceAgentProvider(config) },
    { provide: LOCAL_VOICE_AGENT_SERVER, inject: [AppConfig], useFactory: (config: AppConfig) => createLocalVoiceAgentServer(config) },
  ],
  exports: [VOICE_AGENT_PROVIDER, LOCAL_VOICE_AGENT_SERVER],
})
export class VoiceAgentModule {}
