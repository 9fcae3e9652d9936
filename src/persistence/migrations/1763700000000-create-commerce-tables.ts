import { MigrationInterface, QueryRunner } from 'typeorm';

/** The demo commerce backend the agents' tools work on: accounts, orders, invoices, refunds, FAQ, tickets. */
export class CreateCommerceTables1763700000000 implements MigrationInterface {
  name = 'CreateCommerceTables1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        phone_e164 text,
        balance_cents integer NOT NULL DEFAULT 0,
        currency text NOT NULL DEFAULT 'USD',
        CONSTRAINT accounts_email_key UNIQUE (email),
        CONSTRAINT accounts_email_lowercase CHECK (email = lower(email))
      )`);
    await queryRunner.query(`
      CREATE TABLE orders (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        status text NOT NULL CHECK (status IN ('processing', 'shipped', 'delivered', 'cancelled')),
        eta date,
        tracking_number text,
        total_cents integer NOT NULL CHECK (total_cents >= 0),
        currency text NOT NULL DEFAULT 'USD',
        items jsonb NOT NULL DEFAULT '[]',
        placed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX orders_account_placed_idx ON orders (account_id, placed_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE invoices (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        amount_cents integer NOT NULL,
        currency text NOT NULL DEFAULT 'USD',
        status text NOT NULL CHECK (status IN ('paid', 'open', 'overdue')),
        description text NOT NULL,
        issued_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX invoices_account_issued_idx ON invoices (account_id, issued_at DESC)`);
    // The unique order_id is what makes process_refund idempotent under concurrency.
    await queryRunner.query(`
      CREATE TABLE refunds (
        id text PRIMARY KEY,
        order_id text NOT NULL REFERENCES orders (id),
        account_id text NOT NULL REFERENCES accounts (id),
        amount_cents integer NOT NULL CHECK (amount_cents >= 0),
        currency text NOT NULL,
        reason text NOT NULL,
        call_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refunds_order_id_key UNIQUE (order_id)
      )`);
    await queryRunner.query(`CREATE INDEX refunds_call_id_idx ON refunds (call_id)`);
    await queryRunner.query(`CREATE INDEX refunds_created_at_idx ON refunds (created_at)`);
    await queryRunner.query(`
      CREATE TABLE faq_entries (
        id serial PRIMARY KEY,
        slug text NOT NULL,
        question text NOT NULL,
        answer text NOT NULL,
        keywords text[] NOT NULL DEFAULT '{}',
        CONSTRAINT faq_entries_slug_key UNIQUE (slug)
      )`);
    await queryRunner.query(`
      CREATE TABLE tickets (
        id text PRIMARY KEY,
        call_id text NOT NULL,
        account_id text REFERENCES accounts (id),
        summary text NOT NULL,
        category text NOT NULL DEFAULT 'general',
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX tickets_call_id_idx ON tickets (call_id)`);
    await queryRunner.query(`CREATE INDEX tickets_created_at_idx ON tickets (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tickets`);
    await queryRunner.query(`DROP TABLE faq_entries`);
    await queryRunner.query(`DROP TABLE refunds`);
    await queryRunner.query(`DROP TABLE invoices`);
    await queryRunner.query(`DROP TABLE orders`);
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
