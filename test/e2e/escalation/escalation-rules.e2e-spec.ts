import request from 'supertest';
import { CallEvent } from '../../../src/call-journal/call-event.types';
import { greeted, placeCall, PlacedCall, promptOf } from '../../support/call-harness';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';
import { eventsOfType } from '../../support/call-events';

const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const transferCalls = (placed: PlacedCall) =>
  placed.toService('tool.call').filter((message) => String(message.name).startsWith('transfer_to_'));

describe.each(PROVIDERS_UNDER_TEST)('escalation the service enforces ($name)', (provider) => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30', ...provider.env }, `escalate-${provider.name}`);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('moves a caller who asks for a real person to escalation, with no tool call from the model', async () => {
    const placed = await greeted(await placeCall(service));
    try {
      // The simulated model does not notice requests for a person: only the service can act on it.
      await placed.provider.ignoreRequestsForPeople(placed.callSid);
      await placed.say('I want to talk to a real person');
      const update = await placed.waitFromService(
        'session.update',
        (message) => promptOf(message).includes('Reason: escalation rule'),
        10_000,
      );
      expect(promptOf(update)).toContain('Reason: escalation rule: the caller asked for a person ("real person")');
      // The escalation agent speaks first, asked to by the service.
      await placed.waitToService('transcript.agent', (message) => /escalation/i.test(String(message.text)), 10_000);
      expect(transferCalls(placed)).toEqual([]);

      const live = await request(service.baseUrl).get(`/calls/${placed.callSid}`).set(supervisor).expect(200);
      const events = live.body.events as CallEvent[];
      expect(eventsOfType(events, 'escalation.triggered')).toEqual([
        expect.objectContaining({ trigger: 'human-request', action: 'escalation-handoff', department: 'triage' }),
      ]);
      expect(eventsOfType(events, 'handoff')).toEqual([
        expect.objectContaining({
          from: 'triage',
          to: 'escalation',
          status: 'applied',
          reason: expect.stringContaining('asked for a person'),
        }),
      ]);
      expect(placed.toService('session.error')).toEqual([]);
    } finally {
      await placed.hangUp();
    }
  });

  it('sends a caller who says a red-flag phrase to a person at once', async () => {
    const placed = await greeted(await placeCall(service));
    try {
      await placed.provider.ignoreRequestsForPeople(placed.callSid);
      await placed.say('Someone used my card without asking, I think this is fraud');
      await placed.twilio.waitForClose(10_000);
      expect(placed.twilio.marks.map((mark) => mark.name)).toContain('human-transfer-recorded');
      expect(transferCalls(placed)).toEqual([]);

      const call = await summarisedCall(service.baseUrl, placed.callSid, 15_000);
      const events = call.events as CallEvent[];
      expect(eventsOfType(events, 'escalation')).toEqual([
        expect.objectContaining({
          cause: 'escalation-rule',
          trigger: 'red-flag',
          transferred: true,
          reason: expect.stringContaining('"fraud"'),
        }),
      ]);
      expect(call.outcome).toBe('escalated');
      expect(call.summary?.escalationTriggers).toEqual([expect.objectContaining({ trigger: 'red-flag', action: 'human-transfer' })]);
    } finally {
      await placed.hangUp();
    }
  });

  it('hands off to escalation after three failed tool calls in a row', async () => {
    const placed = await greeted(await placeCall(service));
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const since = placed.mark();
        await placed.provider.forceToolCall(placed.callSid, 'lookup_order', { order_id: `ORD-0000${attempt}` });
        await placed.replyFinishedAfter(since);
      }
      const update = await placed.waitFromService(
        'session.update',
        (message) => promptOf(message).includes('Reason: escalation rule'),
        10_000,
      );
      expect(promptOf(update)).toContain('several tool calls failed in a row (3 failed tool calls in a row)');
      const results = placed.fromService('tool.result').map((message) => JSON.parse(String(message.result)) as Record<string, unknown>);
      expect(results.filter((result) => result.error === 'order_not_found')).toHaveLength(3);
    } finally {
      await placed.hangUp();
    }
  });
});

describe('escalations by trigger in /stats', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30' }, 'escalate-stats');
  });
  afterAll(async () => {
    await service?.close();
  });

  it('counts each rule that fired on the calls of the range', async () => {
    const from = new Date(Date.now() - 60_000);
    const placed = await greeted(await placeCall(service));
    try {
      await placed.provider.ignoreRequestsForPeople(placed.callSid);
      await placed.say('can I speak to a manager please');
      await placed.waitFromService('session.update', (message) => promptOf(message).includes('Reason: escalation rule'), 10_000);
      await placed.say('this is an emergency');
      await placed.twilio.waitForClose(10_000);
    } finally {
      await placed.hangUp();
    }
    await summarisedCall(service.baseUrl, placed.callSid, 15_000);
    const range = new URLSearchParams({ from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    const stats = await waitFor(
      async () => {
        const body = (await request(service.baseUrl).get(`/stats?${range}`).set(supervisor).expect(200)).body;
        return body.escalationsByTrigger.length === 2 ? body : undefined;
      },
      { what: 'two escalation triggers in /stats' },
    );
    expect(stats.escalationsByTrigger).toEqual([
      { trigger: 'human-request', action: 'escalation-handoff', count: 1 },
      // In the escalation department a red flag, like a request for a person, goes to a person.
      { trigger: 'red-flag', action: 'human-transfer', count: 1 },
    ]);
  });
});

describe('call guards', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp(
      { LOCAL_PROVIDER_MS_PER_WORD: '20', CALLER_SILENCE_PROMPT_SECONDS: '2', CALLER_SILENCE_END_SECONDS: '2' },
      'escalate-guards',
    );
  });
  afterAll(async () => {
    await service?.close();
  });

  it('asks a silent caller whether they are still there, then ends the call politely, recorded as abandoned', async () => {
    const placed = await greeted(await placeCall(service));
    try {
      await placed.waitToService('transcript.agent', (message) => /still there/i.test(String(message.text)), 10_000);
      await placed.waitToService('transcript.agent', (message) => /goodbye/i.test(String(message.text)), 10_000);
      await placed.twilio.waitForClose(10_000);
    } finally {
      await placed.hangUp();
    }
    const call = await summarisedCall(service.baseUrl, placed.callSid, 15_000);
    expect(call.summary?.endReason).toBe('caller-silent');
    expect(call.outcome).toBe('abandoned');
    expect(eventsOfType(call.events as CallEvent[], 'call.guard').map((event) => event.guard)).toEqual(['silence-prompt', 'silence-end']);
  });

  it('does not prompt a caller who keeps talking', async () => {
    const placed = await greeted(await placeCall(service));
    try {
      for (const words of ['Hello there', 'Can you tell me about your opening hours', 'Thanks']) {
        await placed.say(words);
        await new Promise((resolve) => setTimeout(resolve, 1200));
      }
      expect(placed.toService('transcript.agent').some((message) => /still there/i.test(String(message.text)))).toBe(false);
    } finally {
      await placed.hangUp();
    }
  });
});
