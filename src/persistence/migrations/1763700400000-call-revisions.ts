import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A call closed as orphaned while its instance was only cut off from Redis is taken back by that
 * instance; when it really ends, its record is written again. The revision says which is newer.
 */
export class CallRevisions1763700400000 implements MigrationInterface {
  name = 'CallRevisions1763700400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE calls ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE calls DROP COLUMN revision');
  }
}
