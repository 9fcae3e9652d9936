import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer account (demo commerce data). Emails are stored lowercase, postcodes compact uppercase ('94107', 'SW1A1AA'). */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', unique: true })
  email: string;

  /** The billing postcode, the second detail a caller gives to verify the account; null: cannot be verified by phone. */
  @Column({ type: 'text', nullable: true })
  postcode: string | null;

  @Column({ name: 'phone_e164', type: 'text', nullable: true })
  phoneE164: string | null;

  @Column({ name: 'balance_cents', type: 'integer' })
  balanceCents: number;

  @Column({ type: 'text' })
  currency: string;
}
