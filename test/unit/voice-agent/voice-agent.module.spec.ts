import { Test } from '@nestjs/testing';
import { AppConfig } from '../../../src/config/app-config';
import { validateEnvironment } from '../../../src/config/environment';
import { LocalVoiceAgentServer } from '../../../src/voice-agent/local/local-voice-agent.server';
import { LOCAL_VOICE_AGENT_SERVER, VoiceAgentModule } from '../../../src/voice-agent/voice-agent.module';
import { VOICE_AGENT_PROVIDER, VoiceAgentProvider } from '../../../src/voice-agent/voice-agent.types';

async function moduleWith(env: Record<string, string>) {
  const config = new AppConfig(validateEnvironment({ NODE_ENV: 'test', ...env }));
  const testing = await Test.createTestingModule({
    imports: [
      { module: class TestConfigModule {}, global: true, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] },
      VoiceAgentModule,
    ],
  }).compile();
  return testing.init();
}

describe('VoiceAgentModule', () => {
  it('serves the local provider when no key is configured', async () => {
    const app = await moduleWith({});
    const provider = app.get<VoiceAgentProvider>(VOICE_AGENT_PROVIDER);
    expect(provider.name).toBe('local');
    expect(provider.capabilities.voiceChangeMidSession).toBe(false);
    expect(app.get(LOCAL_VOICE_AGENT_SERVER)).toBeInstanceOf(LocalVoiceAgentServer);
    await app.close();
  });

  it('uses AssemblyAI and no local server when a key is configured', async () => {
    const app = await moduleWith({ ASSEMBLYAI_API_KEY: 'aai-test-key-123' });
    const provider = app.get<VoiceAgentProvider>(VOICE_AGENT_PROVIDER);
    expect(provider.name).toBe('assemblyai');
    expect(provider.capabilities.voices).toEqual(expect.arrayContaining(['ivy', 'james', 'sophie', 'claire', 'dawn']));
    expect(app.get(LOCAL_VOICE_AGENT_SERVER)).toBeNull();
    await app.close();
  });
});
