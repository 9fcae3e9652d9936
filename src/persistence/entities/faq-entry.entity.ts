import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'faq_entries' })
export class FaqEntryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** Stable key so seeds can upsert an entry after its wording changes. */
  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  question: string;

  @Column({ type: 'text' })
  answer: string;

  @Column({ type: 'text', array: true })
  keywords: string[];
}
