import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentConfigs1763700100000 implements MigrationInterface {
  name = 'AgentConfigs1763700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agent_configs (
        key text PRIMARY KEY,
        current_version int NOT NULL CHECK (current_version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    await queryRunner.query(`
      CREATE TABLE agent_config_versions (
        id serial PRIMARY KEY,
        agent_key text NOT NULL REFERENCES agent_configs (key) ON DELETE CASCADE,
        version int NOT NULL CHECK (version >= 1),
        display_name text NOT NULL,
        system_prompt text NOT NULL,
        greeting text NOT NULL,
        voice text NOT NULL,
        tools text[] NOT NULL DEFAULT '{}',
        handoff_targets text[] NOT NULL DEFAULT '{}',
        keyterms text[] NOT NULL DEFAULT '{}',
        author text NOT NULL,
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agent_config_versions_agent_key_version_key UNIQUE (agent_key, version)
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agent_config_versions');
    await queryRunner.query('DROP TABLE agent_configs');
  }
}
