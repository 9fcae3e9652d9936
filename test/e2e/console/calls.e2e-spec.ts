import { Locator } from 'playwright-core';
import { CallDetailView } from '../../../src/summaries/dtos/call.response';
import { CONSOLE_CALLS_SERVICE_ENV, ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { exchange, greeted, placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';

/** A live call's page refreshes every 2 s. */
const REFRESHED_WITHIN_MS = 5000;

describe('web console: calls and a call', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;
  const calls: PlacedCall[] = [];
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    service = await startTestApp(CONSOLE_CALLS_SERVICE_ENV, 'console-calls');
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
  const finished = async (placed: PlacedCall): Promise<CallDetailView> => {
    await placed.hangUp();
    return summarisedCall(service.baseUrl, placed.callSid, 15_000);
  };

  it('lists finished calls with filters kept in the address and paging, and shows a call with its handoff, turn latencies and summary', async () => {
    const refund = await call();
    await exchange(refund, 'Where is my order ORD-12345?', 2);
    await exchange(refund, 'I would like a refund please', 2);
    const refundCall = await finished(refund);
    const plain = await call();
    await exchange(plain, 'Hello there');
    const plainCall = await finished(plain);
    expect(refundCall.departments).toEqual(['triage', 'refund']);
    expect(plainCall.departments).toEqual(['triage']);

    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, '/console/calls');
    await page.getByRole('heading', { level: 1, name: 'Calls' }).waitFor();
    const row = (callSid: string) => page.locator(`tr[data-call-sid="${callSid}"]`);
    await row(refundCall.callSid).waitFor();
    await row(plainCall.callSid).waitFor();
    await expectText(row(refundCall.callSid), /triage\s*refund/);
    await expectText(row(refundCall.callSid).locator('.badge'), new RegExp(`^${refundCall.outcome}$`));
    const paging = page.getByRole('navigation', { name: 'Pages of calls' });
    await expectText(paging.getByTestId('calls-range'), /^1–2 of 2$/);
    expect(await paging.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    expect(await paging.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(page, 'calls');

    // Filtered by department: the view is in the page's own address, and survives opening it again.
    await page.getByLabel('Department', { exact: true }).selectOption('refund');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/[?&]department=refund(&|$)/);
    await row(plainCall.callSid).waitFor({ state: 'detached' });
    await row(refundCall.callSid).waitFor();
    await expectText(paging.getByTestId('calls-range'), /^1–1 of 1$/);
    const filteredUrl = page.url();
    await page.goto(filteredUrl);
    await row(refundCall.callSid).waitFor();
    expect(await page.getByLabel('Department', { exact: true }).inputValue()).toBe('refund');
    expect(await row(plainCall.callSid).count()).toBe(0);

    // Paging: one call a page.
    await page.goto(`${service.baseUrl}/console/calls?pageSize=1`);
    await expectText(paging.getByTestId('calls-range'), /^1–1 of 2$/);
    await paging.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/[?&]page=2(&|$)/);
    await expectText(paging.getByTestId('calls-range'), /^2–2 of 2$/);
    expect(await paging.getByRole('button', { name: 'Previous' }).isEnabled()).toBe(true);

    // The call with the handoff, opened from the filtered list.
    await page.goto(filteredUrl);
    await row(refundCall.callSid).getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/calls/${refundCall.callSid}$`));
    await page.getByRole('heading', { level: 1, name: /Call from/ }).waitFor();
    await expectText(page.getByTestId('call-status'), /Summarised/);

    const handoffEvent = refundCall.events.find((event) => event.type === 'handoff' && event.status === 'applied')!;
    const loggedHandoff = refundCall.handoffs.find((handoff) => handoff.id === handoffEvent.handoffId)!;
    expect(loggedHandoff.latencyMs).not.toBeNull();
    const conversation = page.getByRole('region', { name: 'Conversation' });
    await conversation.getByRole('region', { name: 'triage' }).waitFor();
    const handoff = conversation.locator('[data-kind="handoff"]');
    await expectText(handoff, /Handoff triage\s*→?\s*to\s*refund/);
    await expectText(handoff, new RegExp(escapeRegExp(String(handoffEvent.reason))));
    await expectText(handoff, new RegExp(`latency ${Math.round(loggedHandoff.latencyMs!)} ms`));
    await conversation.getByRole('region', { name: 'refund' }).waitFor();
    await conversation.locator('[data-kind="tool"]').first().getByText('lookup_order').click();
    await conversation.getByLabel('lookup_order arguments').first().waitFor();
    await expectText(conversation.getByLabel('lookup_order arguments').first(), /"order_id": "ORD-12345"/);

    const latencies = page.getByRole('table', { name: 'Turn latencies' });
    expect(refundCall.turns.length).toBeGreaterThanOrEqual(2);
    expect(await latencies.locator('tbody tr').count()).toBe(refundCall.turns.length);
    const firstTurn = refundCall.turns[0];
    await expectText(latencies.locator('tbody tr').first(), new RegExp(firstTurn.department));

    const summary = page.getByTestId('call-summary');
    await expectText(summary, new RegExp(escapeRegExp(refundCall.summary!.reasonForCall!)));
    await expectText(summary, /Path\s*triage.*refund/s);
    await screenshot(page, 'call');

    expect(requestedUrls.some((url) => url.includes(TEST_SUPERVISOR_TOKEN))).toBe(false);
    await page.close();
  });

  it('follows a live call on its page, then shows it ended and summarised', async () => {
    const placed = await call();
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, `/console/calls/${placed.callSid}`);
    await expectText(page.getByTestId('call-status'), /Live/);
    await page.getByTestId('summary-pending').waitFor();
    await placed.say('Can you tell me about your opening hours');
    await page
      .locator('[data-kind="caller"]', { hasText: 'Can you tell me about your opening hours' })
      .waitFor({ timeout: REFRESHED_WITHIN_MS });

    await placed.hangUp();
    await expectText(page.getByTestId('call-status'), /Ended|Summarised/, REFRESHED_WITHIN_MS);
    await page.getByTestId('call-summary').waitFor({ timeout: 15_000 });
    await expectText(page.getByTestId('call-status'), /Summarised/);
    await page.close();
  });
});

async function expectText(locator: Locator, pattern: RegExp, timeoutMs = 5000): Promise<void> {
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
