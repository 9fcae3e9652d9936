import { describeVoice, toAgentConfigVersionView, toAgentConfigView } from '../../../src/agents/dtos/agent-config.response';
import { parseAgentConfigChange } from '../../../src/agents/services/agent-config-change.channel';
import { agentConfigFactory } from './agent-config.factory';

describe('agent config views', () => {
  it('says the voice only applies at call start when the provider cannot switch mid-session', () => {
    expect(describeVoice('james', { voices: ['james'], defaultVoice: 'james', voiceChangeMidSession: false })).toEqual({
      value: 'james',
      appliesMidCall: false,
      note: 'The provider cannot change voice mid-session; this voice is used when a call starts with this agent',
    });
    expect(describeVoice('james', { voices: ['james'], defaultVoice: 'james', voiceChangeMidSession: true })).toMatchObject({
      value: 'james',
      appliesMidCall: true,
    });
  });

  it('marks the current version in the history view', () => {
    const record = agentConfigFactory.record({ version: 3 });
    expect(toAgentConfigVersionView(record, 3).current).toBe(true);
    expect(toAgentConfigVersionView(record, 4)).toMatchObject({ current: false, version: 3, author: 'admin' });
    expect(toAgentConfigView(record, { voices: [], defaultVoice: 'ivy', voiceChangeMidSession: false })).toMatchObject({
      key: 'loyalty',
      version: 3,
      updatedAt: record.createdAt,
    });
  });
});

describe('agent config change messages', () => {
  it('parses {key, version}', () => {
    expect(parseAgentConfigChange('{"key":"billing","version":4}')).toEqual({ key: 'billing', version: 4 });
  });

  it.each([
    'not json',
    '[]',
    'null',
    '{"key":"billing"}',
    '{"key":"","version":1}',
    '{"key":"billing","version":0}',
    '{"key":"billing","version":1.5}',
  ])('ignores %p', (message) => {
    expect(parseAgentConfigChange(message)).toBeUndefined();
  });
});
