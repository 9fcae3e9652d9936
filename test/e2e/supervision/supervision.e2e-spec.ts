import request from 'supertest';
import { CallEvent } from '../../../src/call-journal/call-event.types';
import { exchange, greeted, newCallSid, placeCall, PlacedCall, promptOf } from '../../support/call-harness';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_ADMIN_TOKEN, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';
import { eventsOfType } from '../../support/call-events';

const supervisor = { Authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function eventsOf(service: TestApp, callSid: string): Promise<CallEvent[]> {
  const response = await request(service.baseUrl).get(`/calls/${callSid}`).set(supervisor).expect(200);
  return response.body.events as CallEvent[];
}

describe.each(PROVIDERS_UNDER_TEST)('whispers to the live agent ($name)', (provider) => {
  let service: TestApp;
  const calls: PlacedCall[] = [];

  beforeAll(async () => {
    // Words take long enough to speak that a whisper can land while a reply is under way.
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '60', ...provider.env }, `whisper-${provider.name}`);
  });
  afterAll(async () => {
    for (const placed of calls) await placed.hangUp();
    await service?.close();
  });

  it('reaches the agent in the next session.update after the reply under way, stays through a handoff, and is withdrawn', async () => {
    const placed = await greeted(await placeCall(service));
    calls.push(placed);
    const note = 'Offer the 10% goodwill credit';

    const since = placed.mark();
    await placed.say('Hello, can you tell me about your opening hours and your delivery times please');
    await placed.waitToService('reply.started', undefined, 10_000);
    const replyDoneSince = () =>
      placed.observed(since).findIndex((event) => event.direction === 'provider-to-client' && event.message.type === 'reply.done');

    const whispered = await request(service.baseUrl)
      .post(`/calls/${placed.callSid}/whisper`)
      .set(supervisor)
      .send({ text: note, supervisor: 'Dana Reyes' })
      .expect(201);
    expect(whispered.body.activeNotes).toEqual([expect.objectContaining({ text: note, by: { role: 'supervisor', name: 'Dana Reyes' } })]);
    // The whisper was taken while the agent was still speaking its reply...
    expect(replyDoneSince()).toBe(-1);

    const carrying = await placed.waitFromService('session.update', (message) => promptOf(message).includes(note), 15_000);
    expect(promptOf(carrying)).toContain('## Supervisor guidance');
    // ...and reached the provider only once that reply had ended: at the reply boundary, not in the middle.
    const applied = placed
      .observed(since)
      .findIndex(
        (event) =>
          event.direction === 'client-to-provider' && event.message.type === 'session.update' && promptOf(event.message).includes(note),
      );
    expect(replyDoneSince()).toBeGreaterThan(-1);
    expect(applied).toBeGreaterThan(replyDoneSince());

    // A later handoff carries the note into the refund agent's prompt.
    await exchange(placed, 'I would like a refund please', 2);
    const handoff = await placed.waitFromService('session.update', (message) => promptOf(message).includes('Handed over by'), 10_000);
    expect(promptOf(handoff)).toContain(note);

    const noteId = whispered.body.note.noteId as string;
    const withdrawn = await request(service.baseUrl)
      .post(`/calls/${placed.callSid}/whisper/${noteId}/withdraw`)
      .set(supervisor)
      .send({ supervisor: 'Dana Reyes' })
      .expect(200);
    expect(withdrawn.body.activeNotes).toEqual([]);
    await waitFor(
      () => placed.fromService('session.update').at(-1) && !promptOf(placed.fromService('session.update').at(-1)!).includes(note),
      {
        what: 'an update without the withdrawn note',
        timeoutMs: 15_000,
      },
    );

    const events = await eventsOf(service, placed.callSid);
    expect(eventsOfType(events, 'supervision.whisper')).toEqual([
      expect.objectContaining({ noteId, text: note, by: { role: 'supervisor', name: 'Dana Reyes' }, at: expect.any(String) }),
    ]);
    expect(eventsOfType(events, 'supervision.notes.applied')[0]).toEqual(
      expect.objectContaining({ department: 'triage', noteIds: [noteId] }),
    );
    expect(eventsOfType(events, 'supervision.whisper.withdrawn')).toEqual([expect.objectContaining({ noteId })]);
    // Neither wire refused anything.
    expect(placed.toService('session.error')).toEqual([]);
  });
});

describe('supervising a call held by another instance', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // Two apps in one test process share its event loop: admission by loop lag would refuse calls the test itself delays.
    const environment = { LOCAL_PROVIDER_MS_PER_WORD: '30', ADMISSION_MAX_EVENT_LOOP_LAG_MS: '0' };
    first = await startTestApp(environment, 'supervise-first');
    second = await startTestApp(
      { ...environment, DATABASE_URL: first.isolation.databaseUrl, REDIS_KEY_PREFIX: first.isolation.redisKeyPrefix },
      'supervise-second',
    );
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('whispers through the second instance, and a takeover there moves the call the first one holds to a person', async () => {
    const placed = await greeted(await placeCall(first));
    try {
      await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/whisper`)
        .set(admin)
        .send({ text: 'Be brief', supervisor: 'Sam' })
        .expect(201);
      await placed.waitFromService('session.update', (message) => promptOf(message).includes('- Be brief'));
      const status = await request(second.baseUrl).get(`/calls/${placed.callSid}/supervision`).set(supervisor).expect(200);
      expect(status.body).toEqual(
        expect.objectContaining({
          callSid: placed.callSid,
          department: 'triage',
          activeNotes: [expect.objectContaining({ text: 'Be brief' })],
        }),
      );

      const takeover = await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/takeover`)
        .set(supervisor)
        .send({ to: 'human', supervisor: 'Dana' })
        .expect(202);
      // No Twilio account in tests: the transfer is recorded and the simulated caller told.
      expect(takeover.body).toEqual({ callSid: placed.callSid, to: 'human', status: 'simulated' });
      await placed.twilio.waitForClose(10_000);
      expect(placed.twilio.marks.map((mark) => mark.name)).toContain('human-transfer-recorded');

      const call = await summarisedCall(second.baseUrl, placed.callSid, 15_000);
      const events = call.events as CallEvent[];
      expect(eventsOfType(events, 'supervision.whisper')[0].by).toEqual({ role: 'admin', name: 'Sam' });
      expect(eventsOfType(events, 'supervision.takeover')).toEqual([
        expect.objectContaining({ to: 'human', by: { role: 'supervisor', name: 'Dana' } }),
      ]);
      expect(eventsOfType(events, 'escalation')).toEqual([
        expect.objectContaining({ cause: 'supervisor-takeover', reason: 'supervisor takeover', transferred: true }),
      ]);
      expect(call.outcome).toBe('escalated');
      expect(call.summary?.supervision).toEqual(
        expect.objectContaining({
          whispers: [expect.objectContaining({ text: 'Be brief', withdrawnAt: null })],
          takeover: expect.objectContaining({ to: 'human', by: { role: 'supervisor', name: 'Dana' } }),
        }),
      );

      // The call has ended: every action answers 409, from either instance.
      for (const service of [first, second]) {
        const refused = await request(service.baseUrl)
          .post(`/calls/${placed.callSid}/whisper`)
          .set(supervisor)
          .send({ text: 'Too late', supervisor: 'Dana' })
          .expect(409);
        expect(refused.body).toEqual(expect.objectContaining({ code: 'call_ended', message: expect.stringContaining('has ended') }));
      }
    } finally {
      await placed.hangUp();
    }
  });

  it('hands a call to a department from the other instance', async () => {
    const placed = await greeted(await placeCall(first));
    try {
      const moved = await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/takeover`)
        .set(supervisor)
        .send({ to: 'billing', supervisor: 'Dana' })
        .expect(202);
      expect(['applied', 'pending']).toContain(moved.body.status);
      const update = await placed.waitFromService('session.update', (message) => promptOf(message).includes('Reason: supervisor takeover'));
      expect(promptOf(update)).toContain('Handed over by: Triage');
      // The new agent speaks first: nobody asked it anything.
      await placed.waitFromService('reply.create', undefined, 10_000);
      const again = await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/takeover`)
        .set(supervisor)
        .send({ to: 'billing', supervisor: 'Dana' })
        .expect(409);
      expect(again.body.code).toBe('already_there');
      const unknown = await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/takeover`)
        .set(supervisor)
        .send({ to: 'sales', supervisor: 'Dana' })
        .expect(400);
      expect(unknown.body.fields).toEqual([{ field: 'to', messages: [expect.stringContaining('sales')] }]);

      const handoffs = await request(first.baseUrl).get(`/handoffs?callId=${placed.callSid}`).set(supervisor).expect(200);
      expect(handoffs.body.items).toEqual([
        expect.objectContaining({ fromAgent: 'triage', toAgent: 'billing', status: 'applied', reason: 'supervisor takeover' }),
      ]);
    } finally {
      await placed.hangUp();
    }
  });

  it('ends a call politely: the agent says goodbye, then the call ends as ended by a supervisor', async () => {
    const placed = await greeted(await placeCall(first));
    try {
      const since = placed.mark();
      const ended = await request(second.baseUrl)
        .post(`/calls/${placed.callSid}/end`)
        .set(supervisor)
        .send({ mode: 'polite', supervisor: 'Dana' })
        .expect(202);
      expect(ended.body).toEqual({ callSid: placed.callSid, mode: 'polite', status: 'closing' });
      const goodbye = await placed.waitToService('transcript.agent', (message) => /goodbye/i.test(String(message.text)), 10_000);
      expect(goodbye).toBeDefined();
      await placed.twilio.waitForClose(15_000);
      expect(
        placed.observed(since).some((event) => event.direction === 'client-to-provider' && event.message.type === 'reply.create'),
      ).toBe(true);
      const call = await summarisedCall(first.baseUrl, placed.callSid, 15_000);
      expect(call.summary?.endReason).toBe('supervisor-ended');
      // A person decided how the call ended: not contained by the agent.
      expect(call.outcome).toBe('escalated');
      expect(call.summary?.supervision?.ended).toEqual(
        expect.objectContaining({ mode: 'polite', by: { role: 'supervisor', name: 'Dana' } }),
      );
    } finally {
      await placed.hangUp();
    }
  });

  it('ends a call at once', async () => {
    const placed = await greeted(await placeCall(first));
    try {
      await request(first.baseUrl)
        .post(`/calls/${placed.callSid}/end`)
        .set(supervisor)
        .send({ mode: 'now', supervisor: 'Dana' })
        .expect(202);
      await placed.twilio.waitForClose(5_000);
      const call = await summarisedCall(first.baseUrl, placed.callSid, 15_000);
      expect(call.summary?.endReason).toBe('supervisor-ended');
    } finally {
      await placed.hangUp();
    }
  });

  it('refuses what it cannot do, clearly', async () => {
    const unknown = await request(first.baseUrl)
      .post(`/calls/${newCallSid()}/whisper`)
      .set(supervisor)
      .send({ text: 'Hello', supervisor: 'Dana' })
      .expect(404);
    expect(unknown.body.code).toBe('call_not_found');

    const invalid = await request(first.baseUrl).post(`/calls/${newCallSid()}/end`).set(supervisor).send({ mode: 'rudely' }).expect(400);
    expect(invalid.body.fields.map((field: { field: string }) => field.field).sort()).toEqual(['mode', 'supervisor']);

    await request(first.baseUrl).post(`/calls/${newCallSid()}/takeover`).send({ to: 'human', supervisor: 'Dana' }).expect(401);
    await request(first.baseUrl)
      .post(`/calls/${newCallSid()}/takeover`)
      .set({ Authorization: 'Bearer not-a-token' })
      .send({ to: 'human', supervisor: 'Dana' })
      .expect(401);
  });
});
