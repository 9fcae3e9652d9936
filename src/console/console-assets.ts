import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build` puts the console: dist/web-console under the package root, from src/ (tests) and dist/ (production) alike. */
export const CONSOLE_ASSETS_DIR = resolve(__dirname, '..', '..', 'dist', 'web-console');

export function consoleIsBuilt(directory = CONSOLE_ASSETS_DIR): boolean {
  return existsSync(join(directory, 'index.html'));
}
