import { Locator } from 'playwright-core';
import { MEDIA_FRAME_BYTES, MULAW_SILENCE_FRAME } from '../../../src/simulator/media-stream-frame.builder';
import { CONSOLE_CALLS_SERVICE_ENV, ConsoleBrowser, launchConsoleBrowser, screenshot } from '../../support/browser';
import { exchange, greeted, placeCall, PlacedCall } from '../../support/call-harness';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

/** A live call's page refreshes every 2 s. */
const REFRESHED_WITHIN_MS = 5000;
/** The whole walk-through: a greeting, listening, a whisper applied at a reply boundary, a polite ending. */
const TEST_TIMEOUT_MS = 90_000;
/** A polite ending: the agent's closing line, then the call ends and the page notices. */
const ENDED_WITHIN_MS = 20_000;

/**
 * The simulated caller sends silence; while "speaking" it sends a 500 Hz square wave at about
 * -12 dBFS in mu-law (0xa0 / 0x20 are +/-7932), so the caller's level meter has something to show.
 */
function callerVoice() {
  const tone = Buffer.alloc(MEDIA_FRAME_BYTES);
  for (let index = 0; index < MEDIA_FRAME_BYTES; index++) tone[index] = Math.floor(index / 8) % 2 === 0 ? 0xa0 : 0x20;
  const toneFrame = tone.toString('base64');
  const voice = { speaking: false, source: () => (voice.speaking ? toneFrame : MULAW_SILENCE_FRAME) };
  return voice;
}

describe('web console: supervising a live call', () => {
  let service: TestApp;
  let browser: ConsoleBrowser;
  const calls: PlacedCall[] = [];
  const requestedUrls: string[] = [];
  const socketUrls: string[] = [];

  beforeAll(async () => {
    service = await startTestApp(CONSOLE_CALLS_SERVICE_ENV, 'console-supervision');
    browser = await launchConsoleBrowser();
    browser.context.on('request', (sent) => requestedUrls.push(sent.url()));
    browser.context.on('page', (page) => page.on('websocket', (socket) => socketUrls.push(socket.url())));
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it(
    'listens to a live call, whispers to the agent and withdraws it, then ends the call politely, all from its page',
    async () => {
      const voice = callerVoice();
      const placed = await placeCall(service, { audioSource: voice.source });
      calls.push(placed);
      await greeted(placed);

      const page = await browser.signedIn(service, TEST_SUPERVISOR_TOKEN, `/console/calls/${placed.callSid}`);
      await expectText(page.getByTestId('call-status'), /Live/);
      const panel = page.getByTestId('supervision-panel');
      await panel.waitFor();

      // The name, asked once, then shown with the role.
      await panel.getByLabel('Your name').fill('  Dana   Scully ');
      await panel.getByRole('button', { name: 'Use this name' }).click();
      await expectText(panel.getByTestId('supervisor-name'), /Supervising as Dana Scully \(supervisor\)/);

      // Listen: the socket opens, audio seconds rise, and the caller's meter moves while the caller speaks.
      await panel.getByRole('button', { name: 'Listen', exact: true }).click();
      await panel.locator('[data-testid="listen-state"][data-state="listening"]').waitFor({ timeout: 5000 });
      const firstSeconds = await waitFor(async () => ((await seconds(panel)) >= 1 ? seconds(panel) : undefined), {
        what: 'a second of audio received',
      });
      await waitFor(async () => (await seconds(panel)) > firstSeconds, { what: 'more audio received' });
      voice.speaking = true;
      await exchange(placed, 'Hello there');
      await waitFor(async () => (await level(panel, 'caller')) > 0, { what: "the caller's level above 0" });
      voice.speaking = false;
      expect(socketUrls.some((url) => url.includes(`/calls/${placed.callSid}/listen?supervisor=Dana%20Scully`))).toBe(true);

      // Whisper: listed with who sent it, in the provider's next session.update, and in the timeline.
      const note = `Offer the 10% goodwill credit (${placed.callSid.slice(-6)})`;
      await panel.getByLabel('Note to the agent').fill(note);
      await expectText(panel.getByText(/^\d+ \/ 500$/), new RegExp(`^${note.length} / 500$`));
      await panel.getByRole('button', { name: 'Send' }).click();
      const listed = panel.getByTestId('supervision-notes').locator('li', { hasText: note });
      await listed.waitFor();
      await expectText(listed, /Dana Scully \(supervisor\)/);
      expect(await panel.getByLabel('Note to the agent').inputValue()).toBe('');
      // A reply boundary comes with the caller's next turn, if the agent was not already between replies.
      await exchange(placed, 'Can you tell me about your opening hours');
      const update = await placed.waitFromService('session.update', (message) => JSON.stringify(message).includes(note), 20_000);
      expect(JSON.stringify(update)).toContain(note);
      const conversation = page.getByRole('region', { name: 'Conversation' });
      const whispered = conversation.locator('[data-kind="whisper"]', { hasText: note });
      await whispered.waitFor({ timeout: REFRESHED_WITHIN_MS });
      await expectText(whispered, /Dana Scully\s*\(supervisor\)/);
      await expectText(listed, /With the agent since/, REFRESHED_WITHIN_MS);
      await conversation.locator('[data-kind="supervision-listen"]', { hasText: 'started listening' }).waitFor();

      voice.speaking = true;
      await waitFor(async () => (await level(panel, 'caller')) > 0, { what: "the caller's level above 0" });
      await screenshot(page, 'supervision');
      voice.speaking = false;

      // Withdraw: gone from the list, and recorded.
      await listed.getByRole('button', { name: /^Withdraw/ }).click();
      await panel.getByTestId('supervision-notes-empty').waitFor();
      await conversation.locator('[data-kind="whisper-withdrawn"]', { hasText: note }).waitFor({ timeout: REFRESHED_WITHIN_MS });

      // End politely: asked first (the confirm button takes the focus, so Enter confirms), then the panel says it has ended.
      await panel.getByRole('button', { name: 'End politely (agent says goodbye)' }).click();
      const confirm = panel.getByRole('group', { name: /End politely.*confirm/ });
      await expectText(confirm, /agent says a closing line/);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="supervision-panel"][data-state="ended"]').waitFor({ timeout: ENDED_WITHIN_MS });
      await expectText(page.getByTestId('supervision-panel'), /This call has ended/);
      await conversation.locator('[data-kind="supervisor-end"]', { hasText: 'politely' }).waitFor({ timeout: REFRESHED_WITHIN_MS });
      await expectText(page.getByTestId('call-status'), /Ended|Summarised/, REFRESHED_WITHIN_MS);

      expect(requestedUrls.some((url) => url.includes(TEST_SUPERVISOR_TOKEN))).toBe(false);
      expect(socketUrls.some((url) => url.includes(TEST_SUPERVISOR_TOKEN) || /bearer/i.test(url))).toBe(false);
      await page.close();
    },
    TEST_TIMEOUT_MS,
  );
});

async function seconds(panel: Locator): Promise<number> {
  return Number(await panel.getByTestId('listen-seconds').getAttribute('data-seconds'));
}

async function level(panel: Locator, channel: 'caller' | 'agent'): Promise<number> {
  return Number(await panel.getByTestId(`level-${channel}`).getAttribute('data-level'));
}

async function expectText(locator: Locator, pattern: RegExp, timeoutMs = 5000): Promise<void> {
  await waitFor(async () => pattern.test(((await locator.textContent({ timeout: timeoutMs })) ?? '').trim()), {
    timeoutMs,
    what: `text matching ${pattern}`,
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}; the text is "${(await locator.textContent().catch(() => null)) ?? '(none)'}"`);
  });
}
