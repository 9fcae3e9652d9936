import { applySessionUpdate, validateInitialSession } from '../../../src/voice-agent/local/local-session-config.validator';
import { ProviderTool, SessionConfig } from '../../../src/voice-agent/voice-agent.types';
import { VOICE_AGENT_VOICES } from '../../../src/voice-agent/voice-agent.voices';

const tool = (name: string, overrides: Partial<ProviderTool> = {}): ProviderTool => ({
  type: 'function',
  name,
  description: name,
  parameters: { type: 'object', properties: {} },
  ...overrides,
});

const config = (overrides: Partial<SessionConfig> = {}): SessionConfig => ({
  system_prompt: 'You are triage.',
  greeting: 'Hi!',
  tools: [tool('lookup_order')],
  input: { format: { encoding: 'audio/pcmu' } },
  output: { voice: 'ivy', format: { encoding: 'audio/pcmu' } },
  ...overrides,
});

describe('local provider session config', () => {
  it('accepts a full config and fills defaults', () => {
    expect(validateInitialSession(config(), VOICE_AGENT_VOICES)).toMatchObject({ ok: true });
    expect(validateInitialSession({}, VOICE_AGENT_VOICES)).toMatchObject({
      ok: true,
      config: { system_prompt: '', tools: [], output: { voice: 'ivy' } },
    });
  });

  it('rejects a tool without type "function" as invalid_config', () => {
    const broken = { ...config(), tools: [{ name: 'lookup_order', description: '', parameters: {} }] };
    expect(validateInitialSession(broken, VOICE_AGENT_VOICES)).toEqual({
      ok: false,
      problem: { code: 'invalid_config', message: 'tools[0] needs "type": "function"', param: 'tools[0].type' },
    });
  });

  it('rejects an unknown voice as invalid_value', () => {
    expect(validateInitialSession(config({ output: { voice: 'Ivy' } }), VOICE_AGENT_VOICES)).toMatchObject({
      ok: false,
      problem: { code: 'invalid_value', param: 'output.voice' },
    });
  });

  it('rejects a stored agent reference, which the local provider cannot resolve', () => {
    expect(validateInitialSession({ agent_id: 'agt_1' }, VOICE_AGENT_VOICES)).toMatchObject({
      ok: false,
      problem: { code: 'invalid_config' },
    });
  });

  it('replaces prompt and tools mid-session', () => {
    const check = applySessionUpdate(config(), { system_prompt: 'You are billing.', tools: [tool('check_billing')] }, VOICE_AGENT_VOICES);
    expect(check).toMatchObject({ ok: true, config: { system_prompt: 'You are billing.', greeting: 'Hi!', output: { voice: 'ivy' } } });
    expect(check.ok && check.config.tools?.map((entry) => entry.name)).toEqual(['check_billing']);
  });

  it.each([
    [{ output: { voice: 'james' } }, 'output.voice'],
    [{ greeting: 'Hello again' }, 'greeting'],
    [{ output: { format: { encoding: 'audio/pcm' } } }, 'output.format'],
  ])('refuses to change %j (immutable_field)', (update, param) => {
    expect(applySessionUpdate(config(), update, VOICE_AGENT_VOICES)).toMatchObject({
      ok: false,
      problem: { code: 'immutable_field', param },
    });
  });

  it('accepts an update that repeats the immutable values unchanged', () => {
    expect(applySessionUpdate(config(), { greeting: 'Hi!', output: { voice: 'ivy', volume: 0.5 } }, VOICE_AGENT_VOICES)).toMatchObject({
      ok: true,
      config: { output: { voice: 'ivy', volume: 0.5 } },
    });
  });
});
