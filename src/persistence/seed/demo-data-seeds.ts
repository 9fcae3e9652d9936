import { DataSource } from 'typeorm';
import { seedDemoCommerceData } from './demo-data.seed';

/** Idempotent seed steps, run in order outside production. Each must be safe to run again. */
export type SeedStep = (dataSource: DataSource) => Promise<void>;

export const DEMO_DATA_SEEDS: SeedStep[] = [seedDemoCommerceData];
