import { Logger } from '@nestjs/common';
import { AgentConfigException, AgentConfigExceptionCode } from '../../../src/agents/exceptions/agent-config.exception';
import { AgentConfigService } from '../../../src/agents/services/agent-config.service';
import { AgentConfigChangeChannel } from '../../../src/agents/services/agent-config-change.channel';
import { AgentConfigRepository } from '../../../src/agents/services/agent-config.repository';
import { defaultEscalationRules } from '../../../src/agents/escalation-rules';
import { agentConfigFactory } from './agent-config.factory';
import { FakeAgentConfigChangeChannel, fakeToolRegistry, fakeVoiceProvider, InMemoryAgentConfigRepository } from './agent-config.fakes';

describe('AgentConfigService', () => {
  let store: InMemoryAgentConfigRepository;
  let channel: FakeAgentConfigChangeChannel;
  let service: AgentConfigService;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  beforeEach(async () => {
    store = new InMemoryAgentConfigRepository();
    channel = new FakeAgentConfigChangeChannel();
    service = new AgentConfigService(
      store as unknown as AgentConfigRepository,
      channel as unknown as AgentConfigChangeChannel,
      fakeToolRegistry(),
      fakeVoiceProvider(),
    );
    await service.onModuleInit();
  });
  afterEach(() => service.onModuleDestroy());

  const input = (overrides = {}) => agentConfigFactory.content(overrides);
  const rejection = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentConfigException);
    return error as AgentConfigException;
  };

  it('seeds the five defaults as version 1 by system and serves them from memory', async () => {
    expect(store.rows.map((row) => [row.key, row.version, row.author, row.note])).toEqual([
      ['triage', 1, 'system', 'default configuration'],
      ['billing', 1, 'system', 'default configuration'],
      ['refund', 1, 'system', 'default configuration'],
      ['faq', 1, 'system', 'default configuration'],
      ['escalation', 1, 'system', 'default configuration'],
    ]);
    expect(
      service
        .activeAll()
        .map((config) => config.key)
        .sort(),
    ).toEqual(['billing', 'escalation', 'faq', 'refund', 'triage']);
    expect(service.active('triage')).toMatchObject({ version: 1, voice: 'ivy' });
    expect(service.active('nope')).toBeUndefined();
  });

  it('does not seed again when configs exist', async () => {
    const again = new AgentConfigService(
      store as unknown as AgentConfigRepository,
      channel as unknown as AgentConfigChangeChannel,
      fakeToolRegistry(),
      fakeVoiceProvider(),
    );
    await again.onModuleInit();
    again.onModuleDestroy();
    expect(store.rows).toHaveLength(5);
  });

  it('stores an edit as a new version, serves it at once and announces it; a held config is untouched', async () => {
    const held = service.active('billing')!;
    const saved = await service.update('billing', input({ handoffTargets: ['triage'] }), 'admin', 'tighter routing');
    expect(saved).toMatchObject({ key: 'billing', version: 2, author: 'admin', note: 'tighter routing', handoffTargets: ['triage'] });
    expect(service.active('billing')).toMatchObject({ version: 2, handoffTargets: ['triage'] });
    expect(channel.published).toEqual([{ key: 'billing', version: 2 }]);
    expect(held.version).toBe(1);
    expect(held.handoffTargets).toEqual(['refund', 'faq', 'escalation', 'triage']);
    expect(Object.isFrozen(service.active('billing'))).toBe(true);
    expect(Object.isFrozen(service.active('billing')!.tools)).toBe(true);
  });

  it('keeps the current keyterms when an edit omits them', async () => {
    const { keyterms: _omitted, ...withoutKeyterms } = input();
    const saved = await service.update('billing', withoutKeyterms, 'admin', 'no keyterms given');
    expect(saved.keyterms).toEqual(store.rows[1].keyterms);
    const created = await service.update('loyalty', withoutKeyterms, 'admin', 'new');
    expect(created.keyterms).toEqual([]);
  });

  it('adds a department through the same path, which others may then target', async () => {
    const created = await service.update('loyalty', input(), 'admin', 'new department');
    expect(created.version).toBe(1);
    expect(service.active('loyalty')).toBeDefined();
    await service.update('triage', input({ handoffTargets: ['billing', 'loyalty'] }), 'admin', 'route to loyalty');
    expect(service.active('triage')!.handoffTargets).toEqual(['billing', 'loyalty']);
  });

  it('refuses an invalid edit with the failing fields and stores nothing', async () => {
    const error = await rejection(
      service.update('billing', input({ voice: 'robot', tools: ['transfer_to_refund'], handoffTargets: ['billing'] }), 'admin', 'bad'),
    );
    expect(error.code).toBe(AgentConfigExceptionCode.INVALID_AGENT_CONFIG);
    expect(error.fields.map((field) => field.field)).toEqual(['voice', 'tools', 'handoffTargets']);
    expect(store.rows).toHaveLength(5);
    expect(channel.published).toEqual([]);
  });

  it('refuses a malformed or reserved new key', async () => {
    expect((await rejection(service.update('human', input(), 'admin', 'x'))).fields.map((field) => field.field)).toEqual(['key']);
    expect((await rejection(service.update('Bad-Key', input(), 'admin', 'x'))).fields.map((field) => field.field)).toEqual(['key']);
  });

  it('rolls back by copying an old version into a new one', async () => {
    await service.update('billing', input({ displayName: 'Billing v2' }), 'admin', 'rename');
    const rolled = await service.rollback('billing', 1, 'admin');
    expect(rolled).toMatchObject({ version: 3, displayName: 'Billing', note: 'rollback to version 1', author: 'admin' });
    expect(store.rows.filter((row) => row.key === 'billing').map((row) => row.version)).toEqual([1, 2, 3]);
    expect(service.active('billing')!.version).toBe(3);
    expect(channel.published.at(-1)).toEqual({ key: 'billing', version: 3 });
  });

  it('answers unknown agents and versions with codes', async () => {
    expect((await rejection(service.get('nope'))).code).toBe(AgentConfigExceptionCode.AGENT_NOT_FOUND);
    expect((await rejection(service.versions('nope', { offset: 0, limit: 10 }))).code).toBe(AgentConfigExceptionCode.AGENT_NOT_FOUND);
    expect((await rejection(service.rollback('nope', 1, 'admin'))).code).toBe(AgentConfigExceptionCode.AGENT_NOT_FOUND);
    expect((await rejection(service.rollback('billing', 9, 'admin'))).code).toBe(AgentConfigExceptionCode.VERSION_NOT_FOUND);
  });

  it('reloads a key another instance changed, and ignores a stale announcement', async () => {
    await store.append({ key: 'faq', content: input({ displayName: 'Help desk' }), author: 'admin', note: 'elsewhere' });
    channel.handlers!.onChange({ key: 'faq', version: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(service.active('faq')).toMatchObject({ version: 2, displayName: 'Help desk' });

    channel.handlers!.onChange({ key: 'faq', version: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(service.active('faq')!.version).toBe(2);
  });

  it('catches up on every key after the subscriber reconnects', async () => {
    await store.append({ key: 'refund', content: input(), author: 'admin', note: 'missed message' });
    await store.append({ key: 'vip', content: input(), author: 'admin', note: 'missed too' });
    channel.handlers!.onResubscribed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(service.active('refund')!.version).toBe(2);
    expect(service.active('vip')).toBeDefined();
  });

  it('writes over the version a precondition names, and refuses a stale one storing nothing', async () => {
    const saved = await service.update('billing', input({ displayName: 'Billing 2' }), 'admin', 'named', { kind: 'one-of', versions: [1] });
    expect(saved.version).toBe(2);
    const stale = await rejection(
      service.update('billing', input({ displayName: 'Stale' }), 'admin', 'stale', { kind: 'one-of', versions: [1] }),
    );
    expect(stale.code).toBe(AgentConfigExceptionCode.VERSION_CONFLICT);
    expect(stale.message).toBe('Agent "billing" is at version 2 but If-Match named version 1: read it again and reapply the change');
    expect(service.active('billing')).toMatchObject({ version: 2, displayName: 'Billing 2' });
    expect(channel.published).toEqual([{ key: 'billing', version: 2 }]);
  });

  it('refuses a precondition on an agent that does not exist yet', async () => {
    expect((await rejection(service.update('loyalty', input(), 'admin', 'new', { kind: 'exists' }))).code).toBe(
      AgentConfigExceptionCode.VERSION_CONFLICT,
    );
    expect(service.active('loyalty')).toBeUndefined();
  });

  it('patches the current version, keeping every field the patch leaves out', async () => {
    const before = service.active('refund')!;
    const patched = await service.patch('refund', { greeting: 'Refunds, hello.', keyterms: null }, 'admin');
    expect(patched).toMatchObject({
      version: 2,
      greeting: 'Refunds, hello.',
      keyterms: [],
      note: 'changed greeting, keyterms',
      author: 'admin',
    });
    expect(patched).toMatchObject({
      systemPrompt: before.systemPrompt,
      tools: before.tools,
      handoffTargets: before.handoffTargets,
      voice: before.voice,
    });
    expect(channel.published).toEqual([{ key: 'refund', version: 2 }]);
  });

  it('patches the version stored when it writes, so an edit another instance made meanwhile survives', async () => {
    await store.append({ key: 'refund', content: input({ displayName: 'Refunds desk' }), author: 'admin', note: 'elsewhere' });
    const patched = await service.patch('refund', { greeting: 'Hi' }, 'admin', 'greeting only');
    expect(patched).toMatchObject({ version: 3, displayName: 'Refunds desk', greeting: 'Hi', note: 'greeting only' });
  });

  it('refuses a patch that leaves an invalid config, naming removals and rule failures together', async () => {
    const error = await rejection(service.patch('refund', { displayName: null, handoffTargets: ['refund'] }, 'admin'));
    expect(error.code).toBe(AgentConfigExceptionCode.INVALID_AGENT_CONFIG);
    expect(error.fields.map((field) => field.field)).toEqual(['displayName', 'handoffTargets']);
    expect(store.rows).toHaveLength(5);
  });

  it('refuses an empty patch, a stale one and an unknown agent', async () => {
    expect((await rejection(service.patch('refund', {}, 'admin'))).code).toBe(AgentConfigExceptionCode.EMPTY_PATCH);
    expect((await rejection(service.patch('refund', { greeting: 'x' }, 'admin', undefined, { kind: 'one-of', versions: [7] }))).code).toBe(
      AgentConfigExceptionCode.VERSION_CONFLICT,
    );
    expect((await rejection(service.patch('nope', { greeting: 'x' }, 'admin', undefined, { kind: 'exists' }))).code).toBe(
      AgentConfigExceptionCode.AGENT_NOT_FOUND,
    );
    expect(store.rows).toHaveLength(5);
  });

  it('rolls back only over the version a precondition names', async () => {
    await service.update('billing', input(), 'admin', 'edit');
    expect((await rejection(service.rollback('billing', 1, 'admin', undefined, { kind: 'one-of', versions: [1] }))).code).toBe(
      AgentConfigExceptionCode.VERSION_CONFLICT,
    );
    expect((await service.rollback('billing', 1, 'admin', undefined, { kind: 'one-of', versions: [2] })).version).toBe(3);
  });

  it('keeps an edit that could not be announced (other instances catch up on reload)', async () => {
    channel.failPublish = true;
    const saved = await service.update('billing', input(), 'admin', 'while Redis is down');
    expect(saved.version).toBe(2);
    expect(service.active('billing')!.version).toBe(2);
  });
  describe('escalation rules', () => {
    it('seeds each department with its default rules', () => {
      expect(service.active('billing')!.escalation).toEqual(defaultEscalationRules('billing'));
      expect(service.active('escalation')!.escalation).toEqual(defaultEscalationRules('escalation'));
    });

    it("stores an edit's rules as part of the version and serves them deeply frozen", async () => {
      const escalation = defaultEscalationRules('billing');
      escalation.redFlags.phrases = [...escalation.redFlags.phrases, 'gas leak'];
      const saved = await service.update('billing', input({ escalation }), 'admin', 'gas leaks');
      expect(saved.escalation.redFlags.phrases).toContain('gas leak');
      const active = service.active('billing')!;
      expect(active.escalation).toEqual(escalation);
      expect(Object.isFrozen(active.escalation.redFlags.phrases)).toBe(true);
      expect(Object.isFrozen(active.escalation.failedTools)).toBe(true);
    });

    it("gives a PUT without rules the department's defaults, not the current rules", async () => {
      await service.patch('escalation', { escalation: { redFlags: { action: 'off' } } }, 'admin');
      const { escalation: _omitted, ...withoutRules } = input();
      const saved = await service.update('escalation', withoutRules, 'admin', 'no rules given');
      expect(saved.escalation).toEqual(defaultEscalationRules('escalation'));
    });

    it('patches rules field by field, naming escalation in the default note', async () => {
      const patched = await service.patch(
        'refund',
        { escalation: { failedTools: { inARow: 4 }, redFlags: { phrases: ['gas leak'] } } },
        'admin',
      );
      const defaults = defaultEscalationRules('refund');
      expect(patched.note).toBe('changed escalation');
      expect(patched.escalation).toEqual({
        ...defaults,
        failedTools: { ...defaults.failedTools, inARow: 4 },
        redFlags: { ...defaults.redFlags, phrases: ['gas leak'] },
      });
    });

    it('rolls the rules back with the rest of the config', async () => {
      await service.patch('faq', { escalation: { noProgress: { minutes: 9, action: 'off' } } }, 'admin');
      const rolled = await service.rollback('faq', 1, 'admin');
      expect(rolled.escalation).toEqual(defaultEscalationRules('faq'));
    });

    it('refuses an invalid rule with its field and stores nothing', async () => {
      const error = await rejection(
        service.patch(
          'escalation',
          { escalation: { failedTools: { inARow: 0 }, humanRequest: { action: 'escalation-handoff' } } },
          'admin',
        ),
      );
      expect(error.code).toBe(AgentConfigExceptionCode.INVALID_AGENT_CONFIG);
      expect(error.fields.map((field) => field.field)).toEqual(['escalation.humanRequest.action', 'escalation.failedTools.inARow']);
      expect(error.message).toBe('Invalid agent config: escalation.humanRequest.action, escalation.failedTools.inARow');
      expect(store.rows).toHaveLength(5);
    });
  });
});
