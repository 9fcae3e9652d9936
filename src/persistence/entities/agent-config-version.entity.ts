import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One immutable version of an agent config; edits and rollbacks only ever add rows. */
@Entity('agent_config_versions')
@Index('agent_config_versions_agent_key_version_key', ['agentKey', 'version'], { unique: true })
export class AgentConfigVersionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'agent_key', type: 'text' })
  agentKey: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'system_prompt', type: 'text' })
  systemPrompt: string;

  @Column({ type: 'text' })
  greeting: string;

  @Column({ type: 'text' })
  voice: string;

  @Column({ type: 'text', array: true })
  tools: string[];

  @Column({ name: 'handoff_targets', type: 'text', array: true })
  handoffTargets: string[];

  @Column({ type: 'text', array: true })
  keyterms: string[];

  /** The department's escalation rules; NULL on versions stored before they existed (read as the defaults). */
  @Column({ type: 'jsonb', nullable: true })
  escalation: object | null;

  @Column({ type: 'text' })
  author: string;

  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
