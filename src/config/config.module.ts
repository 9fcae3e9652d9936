import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { Environment } from './environment';

@Global()
@Module({})
export class ConfigModule {
  /** environment comes from validateEnvironment(), run before Nest starts so a bad value stops boot with a clear message. */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: Environment, useValue: environment }, AppConfig],
      exports: [AppConfig, Environment],
    };
  }
}
