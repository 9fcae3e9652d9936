import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalation rules are part of each agent config version. Versions stored before this column read
 * as their department's default rules (AgentConfigRepository), so existing rows stay NULL.
 */
export class AgentEscalationRules1763700600000 implements MigrationInterface {
  name = 'AgentEscalationRules1763700600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE agent_config_versions ADD COLUMN escalation jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE agent_config_versions DROP COLUMN escalation');
  }
}
