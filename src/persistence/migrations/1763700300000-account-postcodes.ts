import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The billing postcode, the second factor of phone verification (an email alone is guessable).
 * Nullable: an account without one simply cannot be verified by phone until it has one.
 */
export class AccountPostcodes1763700300000 implements MigrationInterface {
  name = 'AccountPostcodes1763700300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE accounts ADD COLUMN postcode text`);
    // Stored in the form normalizePostcode() produces, so verification is a plain equality.
    await queryRunner.query(`ALTER TABLE accounts ADD CONSTRAINT accounts_postcode_normalized CHECK (postcode ~ '^[A-Z0-9]{3,10}$')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE accounts DROP COLUMN postcode`);
  }
}
