import { AgentConfigChange, AgentConfigChangeHandlers } from '../../../src/agents/services/agent-config-change.channel';
import { AgentConfigException, AgentConfigExceptionCode } from '../../../src/agents/exceptions/agent-config.exception';
import { AgentConfigRecord, NewAgentConfigVersion, NextAgentConfigVersion } from '../../../src/agents/services/agent-config.repository';
import { describeFailedPrecondition, preconditionHolds, VersionPrecondition } from '../../../src/agents/services/version-precondition';
import { ToolRegistry } from '../../../src/agents/tools/tool.registry';
import { VoiceAgentConnection, VoiceAgentProvider } from '../../../src/voice-agent/voice-agent.types';
import { DOCUMENTED_BACKEND_TOOLS, DOCUMENTED_VOICES } from './agent-config.factory';

/** The store's contract over a Map: versions only appended, current = newest. */
export class InMemoryAgentConfigRepository {
  readonly rows: AgentConfigRecord[] = [];

  async seedWhenEmpty(configs: readonly NewAgentConfigVersion[]): Promise<number> {
    if (this.rows.length > 0) return 0;
    for (const config of configs) await this.append(config);
    return configs.length;
  }

  async currentAll(): Promise<AgentConfigRecord[]> {
    const keys = [...new Set(this.rows.map((row) => row.key))].sort();
    return keys.map((key) => this.newest(key)!);
  }

  async current(key: string): Promise<AgentConfigRecord | undefined> {
    return this.newest(key);
  }

  async keys(): Promise<string[]> {
    return [...new Set(this.rows.map((row) => row.key))].sort();
  }

  async version(key: string, version: number): Promise<AgentConfigRecord | undefined> {
    return this.rows.find((row) => row.key === key && row.version === version);
  }

  async versions(key: string, offset: number, limit: number): Promise<{ items: AgentConfigRecord[]; total: number }> {
    const all = this.rows.filter((row) => row.key === key).sort((a, b) => b.version - a.version);
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  async append({ key, content, author, note }: NewAgentConfigVersion): Promise<AgentConfigRecord> {
    const record: AgentConfigRecord = {
      key,
      version: (this.newest(key)?.version ?? 0) + 1,
      ...content,
      author,
      note,
      createdAt: new Date().toISOString(),
    };
    this.rows.push(record);
    return record;
  }

  async appendNext(
    key: string,
    precondition: VersionPrecondition | undefined,
    next: (current: AgentConfigRecord | undefined) => NextAgentConfigVersion,
  ): Promise<AgentConfigRecord> {
    const current = this.newest(key);
    if (precondition && !preconditionHolds(precondition, current?.version)) {
      throw new AgentConfigException(
        AgentConfigExceptionCode.VERSION_CONFLICT,
        describeFailedPrecondition(key, precondition, current?.version),
      );
    }
    return this.append({ key, ...next(current) });
  }

  private newest(key: string): AgentConfigRecord | undefined {
    return this.rows.filter((row) => row.key === key).sort((a, b) => b.version - a.version)[0];
  }
}

export class FakeAgentConfigChangeChannel {
  readonly published: AgentConfigChange[] = [];
  handlers?: AgentConfigChangeHandlers;
  failPublish = false;

  async publish(change: AgentConfigChange): Promise<void> {
    if (this.failPublish) throw new Error('Redis is down');
    this.published.push(change);
  }

  async subscribe(handlers: AgentConfigChangeHandlers): Promise<void> {
    this.handlers = handlers;
  }

  close(): void {
    this.handlers = undefined;
  }
}

export function fakeToolRegistry(names: string[] = DOCUMENTED_BACKEND_TOOLS): ToolRegistry {
  return { has: (name: string) => names.includes(name), names: () => [...names] } as Pick<ToolRegistry, 'has' | 'names'> as ToolRegistry;
}

export function fakeVoiceProvider(voices: string[] = DOCUMENTED_VOICES): VoiceAgentProvider {
  return {
    name: 'fake',
    capabilities: { voices, defaultVoice: voices[0], voiceChangeMidSession: false },
    open: (): VoiceAgentConnection => {
      throw new Error('not used');
    },
  };
}
