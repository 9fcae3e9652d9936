import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One handoff attempt of a live call (applied, refused or cancelled). */
@Entity('handoffs')
@Index('handoffs_call_id_idx', ['callId'])
@Index('handoffs_requested_at_idx', ['requestedAt'])
@Index('handoffs_from_agent_to_agent_idx', ['fromAgent', 'toAgent'])
export class HandoffEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'call_id', type: 'text' })
  callId: string;

  @Column({ name: 'from_agent', type: 'text' })
  fromAgent: string;

  @Column({ name: 'to_agent', type: 'text' })
  toAgent: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;

  @Column({ name: 'latency_ms', type: 'double precision', nullable: true })
  latencyMs: number | null;

  @Column({ name: 'from_version', type: 'int', nullable: true })
  fromVersion: number | null;

  @Column({ name: 'to_version', type: 'int', nullable: true })
  toVersion: number | null;
}
