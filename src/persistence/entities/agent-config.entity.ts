import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One department agent; its content lives in agent_config_versions, current_version points at it. */
@Entity('agent_configs')
export class AgentConfigEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'current_version', type: 'int' })
  currentVersion: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
