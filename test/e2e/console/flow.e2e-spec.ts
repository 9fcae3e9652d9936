import { Locator } from 'playwright-core';
import request from 'supertest';
import { exchange, greeted, placeCall } from '../../support/call-harness';
import { ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';

interface Stats {
  calls: number;
  handoffMatrix: { from: string; to: string; count: number }[];
}

describe('web console: flow and stats', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'console-flow');
    browser = await launchConsoleBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('counts a call handed from triage to refund, once it is summarised, in the flow matrix and the figures', async () => {
    const from = new Date(Date.now() - 60_000);
    const placed = await placeCall(service);
    try {
      await greeted(placed);
      // Triage's transfer, then the refund agent's first reply.
      await exchange(placed, 'I would like a refund please', 2);
    } finally {
      await placed.hangUp();
    }
    const call = await summarisedCall(service.baseUrl, placed.callSid, 15_000);
    expect(call.summary?.departmentsPath.map((visit) => visit.department)).toEqual(['triage', 'refund']);
    const to = new Date(Date.now() + 60_000);
    const coveringRange = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() }).toString();
    // The handoff log is written off the audio path: the API counts it before the page is asked to.
    await waitFor(
      async () => {
        const stats = (
          await request(service.baseUrl).get(`/stats?${coveringRange}`).set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`)
        ).body as Stats;
        return stats.handoffMatrix.some((cell) => cell.from === 'triage' && cell.to === 'refund');
      },
      { what: 'the triage -> refund handoff in GET /stats' },
    );

    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, `/console/flow?${coveringRange}`);
    await page.getByRole('heading', { name: 'Handoff flow' }).waitFor();
    expect(await page.getByTestId('kpi-calls').textContent()).toBe('1');

    const matrix = page.getByRole('table', { name: 'Handoffs between departments' });
    const columns = await matrix.locator('thead th').allTextContents();
    const triageRow = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'triage', exact: true }) });
    const refundCell = triageRow.locator('th, td').nth(columns.indexOf('refund'));
    expect(await refundCell.textContent()).toBe('1');
    expect(await matrix.getByTestId('handoffs-triage-refund').textContent()).toBe('1');
    // The Sankey diagram draws the same handoff (its text alternative is the table above).
    await expectText(page.locator('.recharts-sankey-nodes, .recharts-surface').first(), /triage \(1\)/);

    await page.getByRole('heading', { name: 'Handle time per department' }).waitFor();
    await page.getByRole('heading', { name: 'Turn latency', exact: true }).waitFor();
    // The caller's one turn was answered by refund, after the handoff.
    await page.getByRole('table', { name: 'By department' }).getByRole('rowheader', { name: 'refund' }).waitFor();
    await page.getByRole('table', { name: 'Average time in each department' }).getByRole('rowheader', { name: 'triage' }).waitFor();
    await screenshot(page, 'flow');
    await page.close();
  });

  it('keeps a chosen preset in the query string', async () => {
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, '/console/flow');
    const timeRange = page.getByRole('group', { name: 'Time range' });
    // The URL changes before React renders the choice: wait for the pressed state, do not read it once.
    await timeRange.getByRole('button', { name: 'Last 24 hours', pressed: true }).waitFor();
    await timeRange.getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL(/\/console\/flow\?range=7d$/);
    await timeRange.getByRole('button', { name: 'Last 7 days', pressed: true }).waitFor();
    expect(await timeRange.getByRole('button', { pressed: true }).count()).toBe(1);
    await expectText(page.getByTestId('kpi-calls'), /^1$/);
    await page.close();
  });

  it('says so when a range has no calls', async () => {
    const empty = new URLSearchParams({ from: '2001-01-01T00:00:00.000Z', to: '2001-01-02T00:00:00.000Z' });
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, `/console/flow?${empty}`);
    await page.getByText('No calls in this range.').waitFor();
    expect(await page.getByRole('heading', { name: 'Handoff flow' }).count()).toBe(0);
    await page.close();
  });
});

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  try {
    await locator.filter({ hasText: pattern }).first().waitFor();
  } catch (error) {
    expect(await locator.first().textContent()).toMatch(pattern);
    throw error;
  }
}
