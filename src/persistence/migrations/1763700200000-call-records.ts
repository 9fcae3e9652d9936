import { MigrationInterface, QueryRunner } from 'typeorm';

/** Finished calls, their redacted events and summaries (written by the post-call job), and Twilio status callbacks. */
export class CallRecords1763700200000 implements MigrationInterface {
  name = 'CallRecords1763700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calls (
        id text PRIMARY KEY,
        stream_sid text NOT NULL,
        from_masked text NOT NULL,
        to_masked text NOT NULL,
        caller_hash text NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
        final_department text NOT NULL,
        departments text[] NOT NULL DEFAULT '{}',
        outcome text NOT NULL CHECK (outcome IN ('resolved', 'escalated', 'abandoned', 'failed')),
        end_reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX calls_started_at_idx ON calls (started_at)');
    await queryRunner.query('CREATE INDEX calls_outcome_started_at_idx ON calls (outcome, started_at)');
    await queryRunner.query('CREATE INDEX calls_departments_idx ON calls USING gin (departments)');
    await queryRunner.query(`
      CREATE TABLE call_events (
        call_id text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        PRIMARY KEY (call_id, seq)
      )`);
    await queryRunner.query('CREATE INDEX call_events_type_idx ON call_events (type)');
    await queryRunner.query(`
      CREATE TABLE call_summaries (
        call_id text PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
        summary jsonb NOT NULL,
        narrative text NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE call_status_updates (
        id serial PRIMARY KEY,
        call_sid text NOT NULL,
        status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        duration_seconds integer NULL
      )`);
    await queryRunner.query('CREATE INDEX call_status_updates_call_sid_idx ON call_status_updates (call_sid, at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE call_status_updates');
    await queryRunner.query('DROP TABLE call_summaries');
    await queryRunner.query('DROP TABLE call_events');
    await queryRunner.query('DROP TABLE calls');
  }
}
