import { Test } from '@nestjs/testing';
import { AppConfig } from '../../../src/config/app-config';
import { validateEnvironment } from '../../../src/config/environment';
import { LocalVoiceAgentServer } from '../../../src/voice-agent/local/local-voice-agent.server';
import { LOCAL_VOICE_AGENT_SERVER, VoiceAgentModule } from '../../../src/voice-agent/voice-agent.module';
import { VOICE_AGENT_PROVIDER, VoiceAgentProvider } from '../../../src/voice-agent/voice-agent.types';
import { withModel } from '../../../src/config/app-config';

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

  it('speaks OpenAI Realtime to the local OpenAI-compatible server when openai is chosen without a key', async () => {
    const app = await moduleWith({ VOICE_AGENT_PROVIDER: 'openai', OPENAI_REALTIME_MODEL: 'gpt-realtime-mini' });
    const provider = app.get<VoiceAgentProvider>(VOICE_AGENT_PROVIDER);
    expect(provider.name).toBe('openai');
    expect(provider.capabilities).toMatchObject({ defaultVoice: 'marin', voiceChangeMidSession: false });
    expect(app.get(LOCAL_VOICE_AGENT_SERVER)).toBeInstanceOf(LocalVoiceAgentServer);
    expect(app.get(AppConfig).voiceAgentUrl).toBe('ws://127.0.0.1:3000/local-openai/v1/realtime?model=gpt-realtime-mini');
    await app.close();
  });

  it("uses OpenAI's endpoint with the model, and no local server, when its key is set", async () => {
    const app = await moduleWith({ OPENAI_API_KEY: 'sk-test-key-0123' });
    expect(app.get<VoiceAgentProvider>(VOICE_AGENT_PROVIDER).name).toBe('openai');
    expect(app.get(AppConfig).voiceAgentUrl).toBe('wss://api.openai.com/v1/realtime?model=gpt-realtime');
    expect(app.get(LOCAL_VOICE_AGENT_SERVER)).toBeNull();
    await app.close();
  });

  it('keeps a model the URL already names', () => {
    expect(withModel('wss://proxy.example.com/realtime?model=gpt-realtime-2&x=1', 'gpt-realtime')).toBe(
      'wss://proxy.example.com/realtime?model=gpt-realtime-2&x=1',
    );
    expect(withModel('wss://proxy.example.com/realtime', 'gpt-realtime')).toBe('wss://proxy.example.com/realtime?model=gpt-realtime');
  });
});
