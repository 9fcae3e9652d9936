import { MigrationInterface } from 'typeorm';
import { CreateCommerceTables1763700000000 } from './migrations/1763700000000-create-commerce-tables';
import { AgentConfigs1763700100000 } from './migrations/1763700100000-agent-configs';
import { Handoffs1763700110000 } from './migrations/1763700110000-handoffs';
import { CallRecords1763700200000 } from './migrations/1763700200000-call-records';
import { AccountPostcodes1763700300000 } from './migrations/1763700300000-account-postcodes';
import { CallRevisions1763700400000 } from './migrations/1763700400000-call-revisions';
import { TurnEventsIndex1763700500000 } from './migrations/1763700500000-turn-events-index';
import { AgentEscalationRules1763700600000 } from './migrations/1763700600000-agent-escalation-rules';
// Every migration, in order. TypeORM runs pending ones at start-up.
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  AgentConfigs1763700100000,
  Handoffs1763700110000,
  CreateCommerceTables1763700000000,
  CallRecords1763700200000,
  AccountPostcodes1763700300000,
  CallRevisions1763700400000,
  TurnEventsIndex1763700500000,
  AgentEscalationRules1763700600000,
];
