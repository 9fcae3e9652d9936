import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A Twilio status callback (ringing, in-progress, completed, ...), as received. */
@Entity('call_status_updates')
@Index('call_status_updates_call_sid_idx', ['callSid', 'at'])
export class CallStatusUpdateEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'call_sid', type: 'text' })
  callSid: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds: number | null;
}
