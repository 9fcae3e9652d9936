import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /stats reads the turn events of every call in its range. Each call holds a few turns among
 * many other events; this keeps the read to those turns as call_events grows.
 */
export class TurnEventsIndex1763700500000 implements MigrationInterface {
  name = 'TurnEventsIndex1763700500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX call_events_turns_idx ON call_events (call_id) WHERE type = 'turn'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX call_events_turns_idx');
  }
}
