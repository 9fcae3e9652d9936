import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './locked-migrations';
import { DemoDataSeeder } from './seed/demo-data.seeder';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.env.DATABASE_URL),
        // Keep retrying at boot so the service waits for Postgres instead of dying with it.
        retryAttempts: 10,
        retryDelay: 1000,
      }),
      // Migrate before anything else can touch the database.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [DemoDataSeeder],
})
export class PersistenceModule {}
