import { Locator, Page } from 'playwright-core';
import { CallDetailView } from '../../../src/summaries/dtos/call.response';
import { CONSOLE_CALLS_SERVICE_ENV, ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { exchange, greeted, placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { asSupervisor } from '../summaries/journaled-call';

/** The live list is pushed within a second of a change; the rest is the browser's own latitude. */
const PUSHED_WITHIN_MS = 3000;
/** The agent's thinking time while the test reads the caller's words off the page. */
const SLOW_REPLY_MS = 4000;

describe('web console: live calls', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;
  const calls: PlacedCall[] = [];
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    service = await startTestApp(CONSOLE_CALLS_SERVICE_ENV, 'console-live-calls');
    browser = await launchConsoleBrowser();
    browser.context.on('request', (sent) => requestedUrls.push(sent.url()));
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const call = async () => {
    const placed = await placeCall(service);
    calls.push(placed);
    return greeted(placed);
  };
  const rowOf = (page: Page, placed: PlacedCall) => page.locator(`tr[data-call-sid="${placed.callSid}"]`);

  it('shows each live call with its department and last words as they change, and drops it when it ends', async () => {
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, '/console/live');
    await page.getByRole('heading', { level: 1, name: /Live calls/ }).waitFor();
    await page.locator('[data-testid="live-connection"][data-state="open"]').waitFor();
    await page.getByText('No calls are live right now').waitFor();

    const refund = await call();
    const refundRow = rowOf(page, refund);
    await refundRow.waitFor({ timeout: PUSHED_WITHIN_MS });
    await expectText(refundRow.getByTestId('live-department'), /triage/);
    await expectText(page.getByTestId('live-count'), /^1 live$/);
    await exchange(refund, 'I would like a refund please', 2);
    await expectText(refundRow.getByTestId('live-department'), /refund/);

    const chatty = await call();
    const chattyRow = rowOf(page, chatty);
    await chattyRow.waitFor({ timeout: PUSHED_WITHIN_MS });
    await expectText(page.getByTestId('live-count'), /^2 live$/);
    await exchange(chatty, 'Hello there');
    // Its reply (recorded once it has played to the caller) is what the row shows last.
    const reply = await agentWords(chatty, 2);
    await expectText(chattyRow.getByTestId('live-last-said'), new RegExp(`^Agent\\s*${escapeRegExp(reply.slice(0, 40))}`));
    // The caller speaks again while the agent takes its time: the caller's words are the last said.
    await chatty.provider.pace(chatty.callSid, SLOW_REPLY_MS);
    await chatty.say('Can you tell me about your opening hours');
    await expectText(chattyRow.getByTestId('live-last-said'), /^Caller\s*Can you tell me about your opening hours$/);
    // The first turn was recorded when the caller spoke again: its latency shows.
    await expectText(chattyRow.getByTestId('live-latency'), /^\d+(\.\d)? (ms|s)$/);
    await screenshot(page, 'live-calls');

    await chatty.hangUp();
    await chattyRow.waitFor({ state: 'detached', timeout: PUSHED_WITHIN_MS });
    await expectText(page.getByTestId('live-count'), /^1 live$/);
    await refundRow.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Call from/ }).waitFor();
    await expectText(page.getByTestId('call-status'), /Live/);
    await page.goBack();
    await refundRow.waitFor();
    await refund.hangUp();
    await refundRow.waitFor({ state: 'detached', timeout: PUSHED_WITHIN_MS });
    await page.getByText('No calls are live right now').waitFor();
    expect(requestedUrls.some((url) => url.includes(TEST_SUPERVISOR_TOKEN))).toBe(false);
    await page.close();
  });

  it('says it is reconnecting while the stream cannot be reached, and catches up when it can', async () => {
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, '/console/live');
    await page.locator('[data-testid="live-connection"][data-state="open"]').waitFor();
    await page.route('**/calls/live/events', (route) => route.abort('connectionreset'));
    // Reloading drops the open stream; every attempt of the new page fails until the route is lifted.
    await page.reload();
    await page.locator('[data-testid="live-connection"][data-state="reconnecting"]').waitFor();
    await expectText(page.getByRole('status').filter({ hasText: 'Reconnecting' }), /Reconnecting/);
    await page.getByText('The live calls could not be loaded yet').waitFor();
    const placed = await call();
    const reconnectNow = page.getByRole('button', { name: 'Reconnect now' });
    await waitFor(() => reconnectNow.isEnabled(), { what: 'a wait before the next attempt' });
    await page.unroute('**/calls/live/events');
    // The backoff timer may win the race with the click; either way the page reconnects.
    await reconnectNow.click({ timeout: 1000 }).catch(() => undefined);
    await page.locator('[data-testid="live-connection"][data-state="open"]').waitFor({ timeout: 5000 });
    await rowOf(page, placed).waitFor({ timeout: PUSHED_WITHIN_MS });
    await page.close();
  });

  /** The words of the agent's `count`-th reply, once the journal has it. */
  async function agentWords(placed: PlacedCall, count: number): Promise<string> {
    return waitFor(
      async () => {
        const detail = (await asSupervisor(service.baseUrl, `/calls/${placed.callSid}`).expect(200)).body as CallDetailView;
        const said = detail.events.filter((event) => event.type === 'agent.said').map((event) => String(event.text));
        return said.length >= count ? said[count - 1] : undefined;
      },
      { what: `agent reply #${count} in the journal` },
    );
  }
});

async function expectText(locator: Locator, pattern: RegExp, timeoutMs = PUSHED_WITHIN_MS): Promise<void> {
  await waitFor(async () => pattern.test(((await locator.textContent({ timeout: timeoutMs })) ?? '').trim()), {
    timeoutMs,
    what: `text matching ${pattern}`,
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}; the text is "${(await locator.textContent().catch(() => null)) ?? '(none)'}"`);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
