import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AgentConfigVersionEntity } from '../../persistence/entities/agent-config-version.entity';
import { AgentConfigEntity } from '../../persistence/entities/agent-config.entity';
import { AgentConfig } from '../agent-config.types';
import { defaultEscalationRules, EscalationRules } from '../escalation-rules';
import { AgentConfigException, AgentConfigExceptionCode } from '../exceptions/agent-config.exception';
import { AgentConfigContent } from '../utils/agent-config.validation';
import { describeFailedPrecondition, preconditionHolds, VersionPrecondition } from './version-precondition';

/** One stored version of an agent config, with who made it and why. */
export interface AgentConfigRecord extends AgentConfig {
  author: string;
  note: string;
  createdAt: string;
}

export interface NewAgentConfigVersion {
  key: string;
  content: AgentConfigContent;
  author: string;
  note: string;
}

export type NextAgentConfigVersion = Omit<NewAgentConfigVersion, 'key'>;

// Versions stored before escalation rules existed have none: they read as the department's defaults,
// as does a rule added after a version was stored.
function escalationOf(row: AgentConfigVersionEntity): EscalationRules {
  const defaults = defaultEscalationRules(row.agentKey);
  return row.escalation ? { ...defaults, ...(row.escalation as Partial<EscalationRules>) } : defaults;
}

function toRecord(row: AgentConfigVersionEntity): AgentConfigRecord {
  return {
    key: row.agentKey,
    version: row.version,
    displayName: row.displayName,
    systemPrompt: row.systemPrompt,
    greeting: row.greeting,
    voice: row.voice,
    tools: row.tools,
    handoffTargets: row.handoffTargets,
    keyterms: row.keyterms,
    escalation: escalationOf(row),
    author: row.author,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Postgres access for agent configs: versions are only ever added, never rewritten. */
@Injectable()
export class AgentConfigRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(AgentConfigVersionEntity) private readonly versionRows: Repository<AgentConfigVersionEntity>,
    @InjectRepository(AgentConfigEntity) private readonly configRows: Repository<AgentConfigEntity>,
  ) {}

  /** Stores the given configs as version 1 when no agent exists at all; returns how many were stored. */
  async seedWhenEmpty(configs: readonly NewAgentConfigVersion[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Instances booting together on a fresh database must not both seed.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('agent_configs.seed'))`);
      if ((await manager.count(AgentConfigEntity)) > 0) return 0;
      for (const config of configs) await this.appendVersion(manager, config);
      return configs.length;
    });
  }

  async currentAll(): Promise<AgentConfigRecord[]> {
    const rows = await this.currentQuery().orderBy('v.agent_key', 'ASC').getMany();
    return rows.map(toRecord);
  }

  async current(key: string): Promise<AgentConfigRecord | undefined> {
    const row = await this.currentQuery().where('v.agent_key = :key', { key }).getOne();
    return row ? toRecord(row) : undefined;
  }

  async keys(): Promise<string[]> {
    const rows = await this.configRows.find({ select: { key: true }, order: { key: 'ASC' } });
    return rows.map((row) => row.key);
  }

  async version(key: string, version: number): Promise<AgentConfigRecord | undefined> {
    const row = await this.versionRows.findOne({ where: { agentKey: key, version } });
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async versions(key: string, offset: number, limit: number): Promise<{ items: AgentConfigRecord[]; total: number }> {
    const [rows, total] = await this.versionRows.findAndCount({
      where: { agentKey: key },
      order: { version: 'DESC' },
      skip: offset,
      take: limit,
    });
    return { items: rows.map(toRecord), total };
  }

  /**
   * Adds the next version (creating the agent when the key is new), built by `next` from the current
   * one while this agent is locked: the precondition check, what `next` derives from the current
   * version, and the write are one step no other writer can come between. `next` throws to store nothing.
   */
  async appendNext(
    key: string,
    precondition: VersionPrecondition | undefined,
    next: (current: AgentConfigRecord | undefined) => NextAgentConfigVersion,
  ): Promise<AgentConfigRecord> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockAgent(manager, key);
      const row = await this.currentQuery(manager).where('v.agent_key = :key', { key }).getOne();
      const current = row ? toRecord(row) : undefined;
      if (precondition && !preconditionHolds(precondition, current?.version)) {
        const message = describeFailedPrecondition(key, precondition, current?.version);
        throw new AgentConfigException(AgentConfigExceptionCode.VERSION_CONFLICT, message);
      }
      return this.insertVersion(manager, current?.version, { key, ...next(current) });
    });
  }

  private async appendVersion(manager: EntityManager, change: NewAgentConfigVersion): Promise<AgentConfigRecord> {
    await this.lockAgent(manager, change.key);
    const existing = await manager.findOne(AgentConfigEntity, { where: { key: change.key } });
    return this.insertVersion(manager, existing?.currentVersion, change);
  }

  // Serialises writers of one key: two edits cannot claim the same version number, and an If-Match
  // check holds until the write it guards commits. Readers are never blocked.
  private async lockAgent(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('agent_configs.' || $1))`, [key]);
  }

  private async insertVersion(
    manager: EntityManager,
    currentVersion: number | undefined,
    { key, content, author, note }: NewAgentConfigVersion,
  ): Promise<AgentConfigRecord> {
    const version = (currentVersion ?? 0) + 1;
    const now = new Date();
    if (currentVersion !== undefined) {
      await manager.update(AgentConfigEntity, { key }, { currentVersion: version, updatedAt: now });
    } else {
      await manager.insert(AgentConfigEntity, { key, currentVersion: version, createdAt: now, updatedAt: now });
    }
    const row = manager.create(AgentConfigVersionEntity, {
      agentKey: key,
      version,
      displayName: content.displayName,
      systemPrompt: content.systemPrompt,
      greeting: content.greeting,
      voice: content.voice,
      tools: [...content.tools],
      handoffTargets: [...content.handoffTargets],
      keyterms: [...content.keyterms],
      escalation: structuredClone(content.escalation),
      author,
      note,
      createdAt: now,
    });
    await manager.insert(AgentConfigVersionEntity, row);
    return toRecord(row);
  }

  private currentQuery(manager: EntityManager = this.versionRows.manager) {
    return manager
      .createQueryBuilder(AgentConfigVersionEntity, 'v')
      .innerJoin(AgentConfigEntity, 'c', 'c.key = v.agent_key AND c.current_version = v.version');
  }
}
