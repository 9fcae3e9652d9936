import { MigrationInterface, QueryRunner } from 'typeorm';

export class Handoffs1763700110000 implements MigrationInterface {
  name = 'Handoffs1763700110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE handoffs (
        id uuid PRIMARY KEY,
        call_id text NOT NULL,
        from_agent text NOT NULL,
        to_agent text NOT NULL,
        reason text NOT NULL,
        summary text NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'refused', 'cancelled')),
        code text NULL,
        requested_at timestamptz NOT NULL,
        applied_at timestamptz NULL,
        latency_ms double precision NULL,
        from_version int NULL,
        to_version int NULL
      )
    `);
    await queryRunner.query('CREATE INDEX handoffs_call_id_idx ON handoffs (call_id)');
    await queryRunner.query('CREATE INDEX handoffs_requested_at_idx ON handoffs (requested_at)');
    await queryRunner.query('CREATE INDEX handoffs_from_agent_to_agent_idx ON handoffs (from_agent, to_agent)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE handoffs');
  }
}
