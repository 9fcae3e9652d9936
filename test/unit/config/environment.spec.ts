import { chosenVoiceAgentProvider, EnvironmentError, usesLocalProvider, validateEnvironment } from '../../../src/config/environment';

/** A production environment that passes every deployment check; each test breaks one thing. */
function productionEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    PUBLIC_BASE_URL: 'https://voice.example.com',
    TWILIO_AUTH_TOKEN: 'twilio-auth-token-0123456789',
    TWILIO_ACCOUNT_SID: `AC${'0a'.repeat(16)}`,
    ASSEMBLYAI_API_KEY: 'aai-production-key-123',
    ADMIN_TOKEN: 'production-admin-token-0123456789',
    SUPERVISOR_TOKEN: 'production-supervisor-token-0123456789',
    CALLER_HISTORY_SECRET: 'production-caller-history-secret',
    ...overrides,
  };
}

function problemsOf(raw: Record<string, string | undefined>): string {
  try {
    validateEnvironment(raw);
  } catch (error) {
    if (error instanceof EnvironmentError) return error.message;
    throw error;
  }
  return '';
}

describe('validateEnvironment', () => {
  it('accepts a complete production environment', () => {
    expect(problemsOf(productionEnvironment())).toBe('');
  });

  it('refuses, in production, an admin token equal to the supervisor token', () => {
    const shared = 'one-token-for-everyone-0123456789';
    expect(problemsOf(productionEnvironment({ ADMIN_TOKEN: shared, SUPERVISOR_TOKEN: shared }))).toMatch(
      /ADMIN_TOKEN: must differ from SUPERVISOR_TOKEN/,
    );
  });

  it('refuses, in production, a plaintext ws:// voice agent URL and accepts wss://', () => {
    expect(problemsOf(productionEnvironment({ VOICE_AGENT_URL: 'ws://agents.example.com/v1/ws' }))).toMatch(
      /VOICE_AGENT_URL: must be wss:\/\//,
    );
    expect(problemsOf(productionEnvironment({ VOICE_AGENT_URL: 'wss://agents.example.com/v1/ws' }))).toBe('');
  });

  it('requires TWILIO_ACCOUNT_SID in production', () => {
    expect(problemsOf(productionEnvironment({ TWILIO_ACCOUNT_SID: undefined }))).toMatch(/TWILIO_ACCOUNT_SID: required in production/);
  });

  it('names every production problem at once', () => {
    const message = problemsOf(
      productionEnvironment({
        TWILIO_ACCOUNT_SID: undefined,
        VOICE_AGENT_URL: 'ws://agents.example.com/v1/ws',
        SUPERVISOR_TOKEN: 'production-admin-token-0123456789',
      }),
    );
    expect(message.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(3);
  });

  it("requires the chosen provider's key in production, and only that one", () => {
    expect(problemsOf(productionEnvironment({ VOICE_AGENT_PROVIDER: 'openai', ASSEMBLYAI_API_KEY: undefined }))).toContain(
      'OPENAI_API_KEY: required in production with VOICE_AGENT_PROVIDER=openai',
    );
    expect(
      problemsOf(
        productionEnvironment({ VOICE_AGENT_PROVIDER: 'openai', ASSEMBLYAI_API_KEY: undefined, OPENAI_API_KEY: 'sk-production-0123' }),
      ),
    ).toBe('');
    expect(problemsOf(productionEnvironment({ ASSEMBLYAI_API_KEY: undefined }))).toContain('VOICE_AGENT_PROVIDER: the local provider');
    expect(problemsOf(productionEnvironment({ OPENAI_REALTIME_MODEL: 'gpt realtime?' }))).toContain('OPENAI_REALTIME_MODEL');
  });

  it('chooses the named provider, else the one with a key, else the local one; openai without a key uses the local server', () => {
    expect(chosenVoiceAgentProvider({})).toBe('local');
    expect(chosenVoiceAgentProvider({ OPENAI_API_KEY: 'sk-0123456789' })).toBe('openai');
    expect(chosenVoiceAgentProvider({ OPENAI_API_KEY: 'sk-0123456789', ASSEMBLYAI_API_KEY: 'aai-0123456789' })).toBe('assemblyai');
    expect(chosenVoiceAgentProvider({ VOICE_AGENT_PROVIDER: 'openai', ASSEMBLYAI_API_KEY: 'aai-0123456789' })).toBe('openai');
    expect(usesLocalProvider({ VOICE_AGENT_PROVIDER: 'openai' })).toBe(true);
    expect(usesLocalProvider({ VOICE_AGENT_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-0123456789' })).toBe(false);
    expect(usesLocalProvider({ VOICE_AGENT_PROVIDER: 'local', VOICE_AGENT_URL: 'ws://elsewhere:9000/v1/ws' })).toBe(false);
    expect(usesLocalProvider({ VOICE_AGENT_PROVIDER: 'assemblyai' })).toBe(false);
    expect(validateEnvironment({}).OPENAI_REALTIME_MODEL).toBe('gpt-realtime');
  });

  it('keeps development free of the production checks', () => {
    const shared = 'one-token-for-everyone-0123456789';
    expect(
      problemsOf({ NODE_ENV: 'development', ADMIN_TOKEN: shared, SUPERVISOR_TOKEN: shared, VOICE_AGENT_URL: 'ws://127.0.0.1:9000/v1/ws' }),
    ).toBe('');
  });

  it('reads the per-source Twilio budgets, with generous defaults', () => {
    const defaults = validateEnvironment({ NODE_ENV: 'test' });
    expect(defaults.TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE).toBe(1200);
    expect(defaults.TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE).toBe(20);
    const set = validateEnvironment({
      NODE_ENV: 'test',
      TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: '5000',
      TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE: '3',
    });
    expect(set.TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE).toBe(5000);
    expect(set.TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE).toBe(3);
    expect(problemsOf({ NODE_ENV: 'test', TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE: '0' })).toMatch(/TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE=/);
  });
});
