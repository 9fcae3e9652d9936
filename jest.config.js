/**
 * Three tiers: unit (pure, fast, no services), e2e (real Postgres, Redis and sockets) and console
 * (the web console's pure TypeScript modules, tested by *.test.ts files beside them).
 */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'console',
      testMatch: ['<rootDir>/console/src/**/*.test.ts'],
      preset: 'ts-jest',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: '<rootDir>/console/tsconfig.test.json' }] },
    },
  ],
};
