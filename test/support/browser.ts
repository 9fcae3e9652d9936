import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { consoleIsBuilt } from '../../src/console/console-assets';
import { TestApp } from './test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The closed network here refuses Chromium's own background connections; these flags stop it trying.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The console's Listen plays the call through an AudioContext: allowed here without waiting for a gesture.
  '--autoplay-policy=no-user-gesture-required',
];
/**
 * The service for browser tests that place calls: fast replies, and no admission by event-loop lag,
 * since the browser is driven from this same process and a screenshot or a page closing stalls the
 * loop the service measures.
 */
export const CONSOLE_CALLS_SERVICE_ENV = { LOCAL_PROVIDER_MS_PER_WORD: '30', ADMISSION_MAX_EVENT_LOOP_LAG_MS: '0' };
/** A laptop's screen. */
export const LAPTOP = { width: 1366, height: 820 };
/** The README's screenshots: rewritten only when UPDATE_SCREENSHOTS=1, else kept out of the tree. */
const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1' ? resolve(__dirname, '..', '..', 'docs', 'screenshots') : join(tmpdir(), 'console-screenshots');

export interface ConsoleBrowser {
  context: BrowserContext;
  /** A new tab on the service's console, not signed in. */
  open(service: TestApp, path?: string): Promise<Page>;
  /** A new tab, signed in with the token through the sign-in form (as a person would). */
  signedIn(service: TestApp, token: string, path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile of its own, driven by playwright-core. */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!consoleIsBuilt())
    throw new Error('The console is not built: run `npm run build:console` (npm test does it) before the browser tests');
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: LAPTOP,
  });
  context.setDefaultTimeout(10_000);
  const open = async (service: TestApp, path = '/console/') => {
    const page = await context.newPage();
    await page.goto(`${service.baseUrl}${path}`);
    return page;
  };
  return {
    context,
    open,
    async signedIn(service, token, path) {
      const page = await open(service, path);
      await page.getByLabel('Access token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('role').waitFor();
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as <name>.png (docs/screenshots with UPDATE_SCREENSHOTS=1); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
