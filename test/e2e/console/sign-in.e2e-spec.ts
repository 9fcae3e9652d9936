import request from 'supertest';
import { ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';

describe('web console: signing in', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    service = await startTestApp({}, 'console-sign-in');
    browser = await launchConsoleBrowser();
    browser.context.on('request', (sent) => requestedUrls.push(sent.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('serves the console at /console, every asset from the service itself', async () => {
    const page = await browser.open(service);
    await page.getByRole('heading', { name: 'Voice agents console' }).waitFor();
    const origins = new Set(requestedUrls.map((url) => new URL(url).origin));
    expect([...origins]).toEqual([service.baseUrl]);
    await screenshot(page, 'sign-in');
    await page.close();
  });

  it('refuses a wrong token, saying so beside the field', async () => {
    const page = await browser.open(service);
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /not accepted/);
    expect(await page.getByTestId('role').count()).toBe(0);
    await page.close();
  });

  it('signs a supervisor in, keeps the token out of every URL, and signs out', async () => {
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN);
    expect(await page.getByTestId('role').textContent()).toBe('supervisor');
    expect(requestedUrls.some((url) => url.includes(TEST_SUPERVISOR_TOKEN))).toBe(false);
    expect(page.url()).not.toContain(TEST_SUPERVISOR_TOKEN);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    await page.close();
  });

  it('knows an admin token as admin', async () => {
    const page = await browser.signedIn(service, TEST_ADMIN_TOKEN);
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    await page.close();
  });

  it('answers a deep link with the page (the console routes it), framing refused, and /auth/whoami with the role', async () => {
    for (const path of ['/console/', '/console/calls/CA0123']) {
      const page = await request(service.baseUrl).get(path).expect(200);
      expect(page.text).toContain('<div id="root"></div>');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    await request(service.baseUrl).get('/auth/whoami').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200, { role: 'admin' });
    await request(service.baseUrl).get('/auth/whoami').set('Authorization', 'Bearer wrong').expect(401);
  });
});

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp): Promise<void> {
  await locator.waitFor();
  expect(await locator.textContent()).toMatch(pattern);
}
