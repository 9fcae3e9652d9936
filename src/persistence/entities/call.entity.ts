import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A finished call, written once by the post-call job. Numbers are masked; never raw. */
@Entity('calls')
@Index('calls_started_at_idx', ['startedAt'])
@Index('calls_outcome_started_at_idx', ['outcome', 'startedAt'])
export class CallEntity {
  /** The Twilio call SID. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'stream_sid', type: 'text' })
  streamSid: string;

  @Column({ name: 'from_masked', type: 'text' })
  fromMasked: string;

  @Column({ name: 'to_masked', type: 'text' })
  toMasked: string;

  @Column({ name: 'caller_hash', type: 'text', nullable: true })
  callerHash: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz' })
  endedAt: Date;

  @Column({ name: 'duration_seconds', type: 'integer' })
  durationSeconds: number;

  @Column({ name: 'final_department', type: 'text' })
  finalDepartment: string;

  @Column({ type: 'text', array: true })
  departments: string[];

  /** One of the call journal's CallOutcome values (checked by the post-call job that writes it). */
  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'end_reason', type: 'text' })
  /** One of the call journal's CallEndReason values. */
  endReason: string;

  /** 0, or how often the call was taken back after an orphan close: a higher one replaces the record. */
  @Column({ type: 'integer', default: 0 })
  revision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
