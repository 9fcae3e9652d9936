import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { VOICE_AGENT_PROVIDER, VoiceAgentCapabilities, VoiceAgentProvider } from '../../voice-agent/voice-agent.types';
import { DEFAULT_AGENT_CONFIGS } from '../agent-config.defaults';
import { AgentConfig } from '../agent-config.types';
import { defaultEscalationRules, EscalationRules } from '../escalation-rules';
import { AgentConfigException, AgentConfigExceptionCode } from '../exceptions/agent-config.exception';
import { ToolRegistry } from '../tools/tool.registry';
import { AgentConfigCatalog, AgentConfigContent, agentConfigProblems, FieldProblem } from '../utils/agent-config.validation';
import { AgentConfigChange, AgentConfigChangeChannel } from './agent-config-change.channel';
import { AGENT_CONTENT_FIELDS, AgentConfigPatch, mergeAgentConfigPatch, patchedFields } from './agent-config-patch';
import { AgentConfigRecord, AgentConfigRepository } from './agent-config.repository';
import { VersionPrecondition } from './version-precondition';
import { describeError, fieldLogger } from '../../common/field-logger';
import { voiceOn } from '../../voice-agent/voice-agent.voices';

export type AgentConfigInput = Omit<AgentConfigContent, 'keyterms' | 'escalation'> & {
  /** Omitted: keep the agent's current keyterms (none for a new agent). */
  keyterms?: string[];
  /** Omitted: the department's default rules (PUT replaces the whole config). */
  escalation?: EscalationRules;
};

export const SYSTEM_AUTHOR = 'system';
const AGENT_PATCH_FIELDS = [...AGENT_CONTENT_FIELDS, 'note'].join(', ');
// Safety net for change messages missed while a subscriber was reconnecting.
export const AGENT_CONFIG_RELOAD_INTERVAL_MS = 30_000;

function frozen(record: AgentConfig): AgentConfig {
  return Object.freeze({
    key: record.key,
    displayName: record.displayName,
    version: record.version,
    systemPrompt: record.systemPrompt,
    greeting: record.greeting,
    voice: record.voice,
    tools: Object.freeze([...record.tools]) as string[],
    handoffTargets: Object.freeze([...record.handoffTargets]) as string[],
    keyterms: Object.freeze([...record.keyterms]) as string[],
    escalation: deepFrozen(structuredClone(record.escalation)),
  });
}

function deepFrozen<Value extends object>(value: Value): Value {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFrozen(inner as object);
  return Object.freeze(value);
}

function contentOf(config: AgentConfigContent): AgentConfigContent {
  const { displayName, systemPrompt, greeting, voice, tools, handoffTargets, keyterms, escalation } = config;
  return { displayName, systemPrompt, greeting, voice, tools, handoffTargets, keyterms, escalation };
}

/**
 * Department agent configs. The live call path reads active()/activeAll() from memory; admin
 * edits go to Postgres as new versions and reach every instance through Redis pub/sub.
 * A live call keeps the config object it already holds (they are immutable).
 */
@Injectable()
export class AgentConfigService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = fieldLogger(new Logger(AgentConfigService.name));
  private readonly current = new Map<string, AgentConfig>();
  private reloadTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: AgentConfigRepository,
    private readonly changes: AgentConfigChangeChannel,
    private readonly tools: ToolRegistry,
    @Inject(VOICE_AGENT_PROVIDER) private readonly provider: VoiceAgentProvider,
  ) {}

  async onModuleInit(): Promise<void> {
    const seeded = await this.repository.seedWhenEmpty(
      DEFAULT_AGENT_CONFIGS.map((config) => ({
        key: config.key,
        // The defaults name AssemblyAI voices; on another provider they start with its default voice.
        content: { ...contentOf(config), voice: voiceOn(this.provider.capabilities, config.voice) },
        author: SYSTEM_AUTHOR,
        note: 'default configuration',
      })),
    );
    if (seeded > 0) this.logger.log('Seeded the default agent configs', { agents: seeded });
    await this.reloadAll();
    this.reportInvalidConfigs();
    await this.changes.subscribe({
      onChange: (change) => void this.applyChange(change),
      onResubscribed: () => void this.reloadAllQuietly(),
    });
    this.reloadTimer = setInterval(() => void this.reloadAllQuietly(), AGENT_CONFIG_RELOAD_INTERVAL_MS);
    this.reloadTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.reloadTimer);
    this.changes.close();
  }

  get capabilities(): VoiceAgentCapabilities {
    return this.provider.capabilities;
  }

  /** The live config of a department, from memory. */
  active(key: string): AgentConfig | undefined {
    return this.current.get(key);
  }

  activeAll(): AgentConfig[] {
    return [...this.current.values()];
  }

  list(): Promise<AgentConfigRecord[]> {
    return this.repository.currentAll();
  }

  async get(key: string): Promise<AgentConfigRecord> {
    const record = await this.repository.current(key);
    if (!record) throw this.notFound(key);
    return record;
  }

  async versions(
    key: string,
    page: { offset: number; limit: number },
  ): Promise<{ items: AgentConfigRecord[]; total: number; currentVersion: number }> {
    const current = await this.get(key);
    const { items, total } = await this.repository.versions(key, page.offset, page.limit);
    return { items, total, currentVersion: current.version };
  }

  /**
   * Stores a new version (creating the agent when the key is new) and tells every instance. With a
   * precondition, only over the version it names; without one, the last write wins.
   */
  async update(
    key: string,
    input: AgentConfigInput,
    author: string,
    note: string,
    precondition?: VersionPrecondition,
  ): Promise<AgentConfigRecord> {
    const agentKeys = await this.repository.keys();
    const record = await this.repository.appendNext(key, precondition, (current) => {
      const content: AgentConfigContent = {
        ...input,
        keyterms: input.keyterms ?? current?.keyterms ?? [],
        escalation: input.escalation ?? defaultEscalationRules(key),
      };
      this.assertValid(key, content, agentKeys);
      return { content, author, note };
    });
    return this.announce(record);
  }

  /**
   * Applies a merge patch to the current version as a new version. The patch is merged onto the
   * version current at the write, so a concurrent edit of another field is never undone.
   */
  async patch(
    key: string,
    patch: AgentConfigPatch,
    author: string,
    note?: string,
    precondition?: VersionPrecondition,
  ): Promise<AgentConfigRecord> {
    const changed = patchedFields(patch);
    if (changed.length === 0 && note === undefined) {
      const message = `The patch sets nothing: send a JSON object with one or more of ${AGENT_PATCH_FIELDS}`;
      throw new AgentConfigException(AgentConfigExceptionCode.EMPTY_PATCH, message);
    }
    await this.get(key);
    const agentKeys = await this.repository.keys();
    const record = await this.repository.appendNext(key, precondition, (current) => {
      if (!current) throw this.notFound(key);
      const { content, problems } = mergeAgentConfigPatch(key, contentOf(current), patch);
      this.assertValid(key, content, agentKeys, problems);
      return { content, author, note: note ?? `changed ${changed.join(', ')}` };
    });
    return this.announce(record);
  }

  /** A new version with an old version's content: history is never rewritten. */
  async rollback(
    key: string,
    toVersion: number,
    author: string,
    note?: string,
    precondition?: VersionPrecondition,
  ): Promise<AgentConfigRecord> {
    await this.get(key);
    const target = await this.repository.version(key, toVersion);
    if (!target) throw new AgentConfigException(AgentConfigExceptionCode.VERSION_NOT_FOUND, `Agent "${key}" has no version ${toVersion}`);
    const agentKeys = await this.repository.keys();
    const record = await this.repository.appendNext(key, precondition, () => {
      const content = contentOf(target);
      this.assertValid(key, content, agentKeys);
      return { content, author, note: note ?? `rollback to version ${toVersion}` };
    });
    return this.announce(record);
  }

  private async announce(record: AgentConfigRecord): Promise<AgentConfigRecord> {
    const { key, version, author, note } = record;
    this.remember(record);
    this.logger.log('Agent config version stored', { agent: key, version, author, note });
    // The change is committed; if Redis is down other instances catch up at the periodic reload.
    await this.changes.publish({ key, version }).catch((error: Error) => {
      this.logger.warn('Could not announce the new agent config version', { agent: key, version, error: error.message });
    });
    return record;
  }

  private assertValid(key: string, content: AgentConfigContent, agentKeys: readonly string[], patchProblems: FieldProblem[] = []): void {
    const problems = [...patchProblems, ...agentConfigProblems(key, content, this.catalog(agentKeys))];
    if (problems.length === 0) return;
    throw new AgentConfigException(
      AgentConfigExceptionCode.INVALID_AGENT_CONFIG,
      `Invalid agent config: ${problems.map((problem) => problem.field).join(', ')}`,
      problems,
    );
  }

  private catalog(agentKeys: readonly string[]): AgentConfigCatalog {
    return {
      voices: this.provider.capabilities.voices,
      isBackendTool: (name) => this.tools.has(name),
      backendToolNames: this.tools.names(),
      agentKeys,
    };
  }

  private async applyChange(change: AgentConfigChange): Promise<void> {
    if ((this.current.get(change.key)?.version ?? 0) >= change.version) return;
    try {
      const record = await this.repository.current(change.key);
      if (record) this.remember(record);
    } catch (error) {
      this.logger.warn('Reloading an agent config failed; the periodic reload retries', { agent: change.key, error: describeError(error) });
    }
  }

  private async reloadAll(): Promise<void> {
    for (const record of await this.repository.currentAll()) this.remember(record);
  }

  private async reloadAllQuietly(): Promise<void> {
    await this.reloadAll().catch((error: Error) => this.logger.warn('Reloading agent configs failed', { error: error.message }));
  }

  // Versions only grow, so an out-of-order reload can never replace a newer config.
  private remember(record: AgentConfig): void {
    const known = this.current.get(record.key);
    if (known && known.version >= record.version) return;
    this.current.set(record.key, frozen(record));
  }

  // A stored config can become invalid when a tool leaves the registry or the provider changes.
  private reportInvalidConfigs(): void {
    const catalog = this.catalog([...this.current.keys()]);
    for (const config of this.current.values()) {
      const problems = agentConfigProblems(config.key, contentOf(config), catalog);
      for (const problem of problems)
        this.logger.warn('Stored agent config is no longer valid', {
          agent: config.key,
          version: config.version,
          field: problem.field,
          problems: problem.messages,
        });
    }
  }

  private notFound(key: string): AgentConfigException {
    return new AgentConfigException(AgentConfigExceptionCode.AGENT_NOT_FOUND, `There is no agent "${key}"`);
  }
}
