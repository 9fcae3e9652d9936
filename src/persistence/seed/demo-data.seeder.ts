import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DEMO_DATA_SEEDS } from './demo-data-seeds';

/** Outside production, seeds the demo data idempotently at start-up. */
@Injectable()
export class DemoDataSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataSeeder.name);

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    for (const seed of DEMO_DATA_SEEDS) {
      await seed(this.dataSource);
    }
    this.logger.log(`Demo data seeded (${DEMO_DATA_SEEDS.length} seed steps)`);
  }
}
