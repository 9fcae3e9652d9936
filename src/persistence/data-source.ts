// Entry point for the TypeORM CLI (npm run migration:*).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(validateEnvironment(process.env).DATABASE_URL));
