// ESLint flat config. typescript-eslint `recommended` only: the type-checked variants need a full
// TypeScript program per run and make lint several times slower. Prettier owns formatting and
// line length, so eslint-config-prettier comes last to switch off every stylistic rule.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'bench/results/', '.run/']),

  {
    files: ['{src,test,bench}/**/*.ts', 'bench/**/*.js', 'scripts/**/*.{js,ts}', '*.{js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest DI reads constructor parameter types from emitDecoratorMetadata, which needs the
      // injected classes imported as values; `import type` would silently break injection.
      '@typescript-eslint/consistent-type-imports': 'off',
      // 'smart' still allows `x == null` (null or undefined) and typeof/literal comparisons.
      eqeqeq: ['error', 'smart'],
    },
  },

  {
    // The web console: TypeScript and JSX for the browser, bundled by Vite.
    files: ['console/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },

  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The service logs through pino (nestjs-pino); console output bypasses levels and JSON.
      'no-console': 'error',
    },
  },
  {
    // CLI entry points whose job is to print: the `npm run call` simulator and process bootstrap.
    files: ['src/simulator/**/*.ts', 'src/main.ts', 'src/cluster-primary.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain CommonJS scripts and tool configs (package.json has no "type": "module").
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  prettier,
);
