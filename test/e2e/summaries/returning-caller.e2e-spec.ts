import { CallerHistoryService } from '../../../src/caller-history/caller-history.service';
import { placeCall, PlacedCall, TEST_TWILIO_AUTH_TOKEN } from '../../support/call-harness';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from './journaled-call';

const CALLER = '+15551234567';

describe('a returning caller, over the whole call path', () => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    service = await startTestApp({ TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN }, 'returning');
  });
  afterAll(async () => {
    await Promise.all(calls.map((call) => call.hangUp()));
    await service.close();
  });

  it("gets the previous call in triage's first session.update once that call is summarised", async () => {
    const first = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, from: CALLER });
    calls.push(first);
    const firstPrompt = String((first.fromService('session.update')[0].session as { system_prompt: string }).system_prompt);
    expect(firstPrompt).not.toContain('Returning caller');
    await first.say('Where is my order ORD-12345?');
    await first.waitToService('tool.call', (message) => message.name === 'lookup_order');
    await first.waitFromService('tool.result');
    await first.hangUp();

    const summarised = await summarisedCall(service.baseUrl, first.callSid, 15_000);
    expect(summarised.fromMasked).toBe('+1555***4567');
    expect(summarised.summary?.actions.lookups).toEqual(
      expect.arrayContaining([expect.objectContaining({ tool: 'lookup_order', subject: 'ORD-12345', result: 'ok' })]),
    );
    const history = service.app.get(CallerHistoryService);
    await waitFor(async () => (await history.load(history.hashCaller(CALLER)))?.some((entry) => entry.callId === first.callSid), {
      what: 'the caller history entry',
    });

    const second = await placeCall(service, { authToken: TEST_TWILIO_AUTH_TOKEN, from: CALLER });
    calls.push(second);
    const prompt = String((second.fromService('session.update')[0].session as { system_prompt: string }).system_prompt);
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(summarised.startedAt));
    expect(prompt).toContain('Returning caller. Previous calls (newest first):');
    expect(prompt).toContain(`- ${weekday} `);
    expect(prompt).toContain('ORD-12345');
    expect(prompt).not.toContain('5551234567');
  });
});
