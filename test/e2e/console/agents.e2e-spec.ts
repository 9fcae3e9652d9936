import { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';

const DEPARTMENTS = ['triage', 'billing', 'refund', 'faq', 'escalation'];

describe('web console: agents', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    service = await startTestApp({}, 'console-agents');
    browser = await launchConsoleBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** The agent as the REST API has it now, with the ETag a write over it names. */
  const stored = async (key: string) => {
    const response = await request(service.baseUrl).get(`/agents/${key}`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    return {
      config: response.body as { version: number; systemPrompt: string; greeting: string; escalation: { redFlags: { phrases: string[] } } },
      etag: response.headers.etag as string,
    };
  };
  /** The editor of one agent, loaded, for an admin. */
  const openEditor = async (key: string) => {
    const page = await browser.signedIn(service, TEST_ADMIN_TOKEN, `/console/agents/${key}`);
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.waitFor();
    return { page, prompt };
  };
  const versionBadge = (page: Page) => page.getByTestId('agent-version');

  it('shows a supervisor every department, and one department with no edit controls at all', async () => {
    const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, '/console/agents');
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
    for (const key of DEPARTMENTS) await page.getByTestId(`agent-row-${key}`).waitFor();
    const billingRow = page.getByTestId('agent-row-billing');
    expect(await billingRow.getByRole('cell').allTextContents()).toEqual(['billing', '1', '5', '4', expect.stringContaining('by system')]);

    await billingRow.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: /^Billing/, level: 1 }).waitFor();
    await expectText(page.getByTestId('agent-prompt'), /You are the Billing agent for Acme support/);
    await expectText(page.getByTestId('agent-greeting'), /Acme billing/);
    await page.getByRole('heading', { name: 'Tools (5)' }).waitFor();
    await page
      .getByRole('link', { name: /refund/ })
      .first()
      .waitFor();
    await page.getByTestId('version-1').waitFor();
    await page.getByRole('heading', { name: 'Compare versions' }).waitFor();
    await page.getByRole('heading', { name: 'Escalation rules', level: 2 }).waitFor();
    await expectText(page.getByTestId('rule-redFlags'), /Transfer to a person/);
    await page.getByRole('list', { name: 'Red flags phrases' }).getByText('chest pain').waitFor();

    expect(await page.getByRole('button', { name: /save/i }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /roll back/i }).count()).toBe(0);
    expect(await page.locator('textarea, select, input[type="checkbox"], input:not([type])').count()).toBe(0);
    expect(await page.locator('[contenteditable="true"]').count()).toBe(0);
    await page.close();
  });

  it('lets an admin change the billing prompt, see the new version and its diff in the history, and roll it back', async () => {
    const before = await stored('billing');
    const { page, prompt } = await openEditor('billing');
    const original = await prompt.inputValue();
    expect(original).toBe(before.config.systemPrompt);
    const addition = 'Always read the invoice number back to the caller before you say an amount.';

    // The registered tools to choose from, with their kind, and the provider's voices with its note.
    expect(await page.getByRole('checkbox', { name: /^check_billing lookup/ }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^process_refund side effect/ }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: /^Refunds refund/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Voice', { exact: true }).inputValue()).toBe('james');
    await expectText(page.locator('#agent-voice-note'), /voice/);

    await prompt.fill(`${original}\n\n${addition}`);
    await page.getByLabel('Change note').fill('read invoice numbers back');
    await expectText(page.locator('.editor-status'), /Unsaved changes to prompt/);
    await screenshot(page, 'agents');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const saved = before.config.version + 1;
    await page.getByText(`Saved as version ${saved}.`).waitFor();
    await expectText(versionBadge(page), new RegExp(`version ${saved}$`));
    expect((await stored('billing')).config.systemPrompt).toBe(`${original}\n\n${addition}`);

    const row = page.getByTestId(`version-${saved}`);
    await expectText(row, /current/);
    await expectText(row, /read invoice numbers back/);
    await page.getByRole('heading', { name: `Changes from version ${before.config.version} to version ${saved}` }).waitFor();
    const promptDiff = page.getByRole('group', { name: `Prompt changes, version ${before.config.version} to version ${saved}` });
    await expectText(promptDiff.locator('ins').first(), new RegExp(addition));
    expect(await promptDiff.locator('del').count()).toBe(0);
    await promptDiff.scrollIntoViewIfNeeded();
    await screenshot(page, 'agent-history');

    await page
      .getByTestId(`version-${before.config.version}`)
      .getByRole('button', { name: `Roll back to v${before.config.version}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Roll back to version ${before.config.version}?` });
    await dialog.getByRole('button', { name: `Roll back to version ${before.config.version}` }).click();

    const rolledBack = saved + 1;
    await page.getByText(`Rolled back: version ${rolledBack} has version ${before.config.version}'s content`).waitFor();
    await expectText(versionBadge(page), new RegExp(`version ${rolledBack}$`));
    expect(await prompt.inputValue()).toBe(original);
    await expectText(page.getByTestId(`version-${rolledBack}`), /rollback to version 1/);
    expect((await stored('billing')).config).toMatchObject({ version: rolledBack, systemPrompt: original });
    await page.close();
  });

  it('keeps a stale edit on screen, says who saved first, and re-applies it onto their version when asked', async () => {
    const { page, prompt } = await openEditor('refund');
    const loaded = await stored('refund');
    const mine = `${loaded.config.systemPrompt}\n\nOffer a ticket when a refund is not possible today.`;
    const theirGreeting = 'Hello, Acme refunds here. How can I help?';

    // Another admin saves first, over the same version.
    await request(service.baseUrl)
      .patch('/agents/refund')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
      .set('If-Match', loaded.etag)
      .send({ greeting: theirGreeting, note: 'another admin' })
      .expect(200);

    await prompt.fill(mine);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const theirs = loaded.config.version + 1;
    await expectText(
      page.getByTestId('conflict-explanation'),
      new RegExp(`Version ${theirs} was saved by someone else while you edited version ${loaded.config.version}`),
    );
    expect(await prompt.inputValue()).toBe(mine);
    expect((await stored('refund')).config).toMatchObject({
      version: theirs,
      greeting: theirGreeting,
      systemPrompt: loaded.config.systemPrompt,
    });
    await page
      .getByRole('region', { name: 'Not saved: someone else saved first' })
      .getByRole('group', { name: `Greeting changes, version ${loaded.config.version} to version ${theirs}` })
      .waitFor();

    await page.getByRole('button', { name: `Apply my changes to version ${theirs}` }).click();
    expect(await prompt.inputValue()).toBe(mine);
    expect(await page.getByLabel('Greeting', { exact: true }).inputValue()).toBe(theirGreeting);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Saved as version ${theirs + 1}.`).waitFor();
    expect((await stored('refund')).config).toMatchObject({ version: theirs + 1, greeting: theirGreeting, systemPrompt: mine });
    await page.close();
  });

  it('refuses to roll back over a version the admin has not seen, and shows that version in the history', async () => {
    const { page } = await openEditor('triage');
    const loaded = await stored('triage');
    await request(service.baseUrl)
      .patch('/agents/triage')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
      .set('If-Match', loaded.etag)
      .send({ greeting: 'Hello from Acme. What can I do for you?' })
      .expect(200);
    const newer = loaded.config.version + 1;
    // A fresh page lists both versions.
    await page.reload();
    await page.getByTestId(`version-${newer}`).waitFor();
    // Someone saves again while the admin looks at the history.
    await request(service.baseUrl)
      .patch('/agents/triage')
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
      .set('If-Match', `"v${newer}"`)
      .send({ greeting: 'Good day, this is Acme. How can I help?' })
      .expect(200);
    const first = loaded.config.version;
    await page
      .getByTestId(`version-${first}`)
      .getByRole('button', { name: `Roll back to v${first}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Roll back to version ${first}?` });
    await dialog.getByRole('button', { name: `Roll back to version ${first}` }).click();

    const theirs = newer + 1;
    await expectText(dialog.getByRole('alert'), new RegExp(`Not rolled back: version ${theirs} was saved by someone else meanwhile`));
    await page.getByTestId(`version-${theirs}`).waitFor();
    expect((await stored('triage')).config.version).toBe(theirs);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.close();
  });

  it('shows what the service refuses beside the field it belongs to, and saves nothing', async () => {
    const { page, prompt } = await openEditor('faq');
    const before = await stored('faq');
    await prompt.fill('Too short.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const error = page.locator('#agent-systemPrompt-error');
    await expectText(error, /^Prompt must be .*50 characters/);
    expect(await prompt.getAttribute('aria-invalid')).toBe('true');
    expect(await prompt.getAttribute('aria-describedby')).toContain('agent-systemPrompt-error');
    await page.locator('.refusal').getByRole('link', { name: 'Prompt' }).waitFor();
    expect(await prompt.inputValue()).toBe('Too short.');
    expect((await stored('faq')).config.version).toBe(before.config.version);
    await page.close();
  });

  it('lets an admin add a red-flag phrase as a new version with its diff, and refuses a rule number beside its field', async () => {
    const before = await stored('faq');
    const { page } = await openEditor('faq');
    const redFlags = page.getByLabel('Red flags: Phrases, one per line');
    expect(await redFlags.inputValue()).toBe(before.config.escalation.redFlags.phrases.join('\n'));
    await redFlags.fill(`${await redFlags.inputValue()}\n\ngas leak\n`);
    await expectText(page.locator('.editor-status'), /Unsaved changes to escalation rules/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const saved = before.config.version + 1;
    await page.getByText(`Saved as version ${saved}.`).waitFor();
    await expectText(versionBadge(page), new RegExp(`version ${saved}$`));
    expect((await stored('faq')).config.escalation.redFlags.phrases).toEqual([...before.config.escalation.redFlags.phrases, 'gas leak']);
    expect(await redFlags.inputValue()).toBe([...before.config.escalation.redFlags.phrases, 'gas leak'].join('\n'));
    await expectText(page.getByTestId(`version-${saved}`), /changed escalation rules/);
    const ruleDiff = page.getByRole('group', { name: `Red flags rule changes, version ${before.config.version} to version ${saved}` });
    await expectText(ruleDiff.locator('ins'), /^gas leak$/);

    const inARow = page.getByLabel('Tools keep failing: Failed tools in a row');
    await inARow.fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = page.locator('#agent-escalation-failedTools-inARow-error');
    await expectText(error, /^Failed tools in a row must be a whole number from 1 to 20 \(got 0\)$/);
    expect(await inARow.getAttribute('aria-invalid')).toBe('true');
    expect(await inARow.getAttribute('aria-describedby')).toContain('agent-escalation-failedTools-inARow-error');
    await page
      .locator('.refusal')
      .getByRole('link', { name: /Tools keep failing: failed tools in a row/ })
      .waitFor();
    expect(await inARow.inputValue()).toBe('0');
    expect((await stored('faq')).config.version).toBe(saved);
    await page.close();
  });

  it('still edits the prompt when the registered tools cannot be loaded, keeping the tools as they are', async () => {
    await browser.context.route(/\/tools$/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ status: 503, code: 'not_ready', message: 'Not ready' }),
      }),
    );
    try {
      const before = await stored('escalation');
      const { page, prompt } = await openEditor('escalation');
      await expectText(page.getByRole('alert').filter({ hasText: 'Not ready' }), /Not ready/);
      expect(await page.getByRole('checkbox', { name: /create_ticket/ }).count()).toBe(0);
      await page.getByText('the tools cannot be changed now').waitFor();

      await prompt.fill(`${before.config.systemPrompt}\n\nStay calm and brief.`);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(`Saved as version ${before.config.version + 1}.`).waitFor();
      const after = await stored('escalation');
      expect((after.config as unknown as { tools: string[] }).tools).toEqual(['create_ticket', 'transfer_to_human']);
      await page.close();
    } finally {
      await browser.context.unroute(/\/tools$/);
    }
  });
});

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  // Waits for the text (a save answering, a list reloading); on timeout, says what the text was instead.
  try {
    await locator.filter({ hasText: pattern }).first().waitFor();
  } catch (error) {
    expect(await locator.first().textContent()).toMatch(pattern);
    throw error;
  }
}
