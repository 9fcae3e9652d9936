import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One event of a finished call's transcript, redacted; seq is its position (from 1). */
@Entity('call_events')
@Index('call_events_type_idx', ['type'])
@Index('call_events_turns_idx', ['callId'], { where: "type = 'turn'" })
export class CallEventEntity {
  @PrimaryColumn({ name: 'call_id', type: 'text' })
  callId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text' })
  type: string;

  /** The event without `type` and `at`. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;
}
