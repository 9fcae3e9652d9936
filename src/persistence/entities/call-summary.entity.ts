import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The post-call summary of a call: structured (redacted JSON) and an optional LLM narrative. */
@Entity('call_summaries')
export class CallSummaryEntity {
  @PrimaryColumn({ name: 'call_id', type: 'text' })
  callId: string;

  @Column({ type: 'jsonb' })
  summary: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  narrative: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
