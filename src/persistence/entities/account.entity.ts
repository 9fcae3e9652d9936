import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer account (demo commerce data). Emails are stored lowercase. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ name: 'phone_e164', type: 'text', nullable: true })
  phoneE164: string | null;

  @Column({ name: 'balance_cents', type: 'integer' })
  balanceCents: number;

  @Column({ type: 'text' })
  currency: string;
}
