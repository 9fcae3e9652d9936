import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CallMetadata } from '../../../src/call-journal/call-event.types';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { maskPhoneNumber } from '../../../src/call-journal/phone-masking';
import { POST_CALL_SUMMARY_QUEUE } from '../../../src/summaries/post-call-summary.job';
import { PostCallSummaryQueue } from '../../../src/summaries/post-call-summary.queue';
import { describeHistoryForPrompt } from '../../../src/caller-history/caller-history.prompt';
import { CallerHistoryService } from '../../../src/caller-history/caller-history.service';
import { CallStatusService } from '../../../src/telephony/call-status.service';
import { PostCallSummaryService } from '../../../src/summaries/post-call-summary.service';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { asSupervisor, playCall, summarisedCall } from './journaled-call';

const CALLER = '+15551234567';

describe('post-call summaries: journal -> BullMQ -> Postgres -> REST', () => {
  let service: TestApp;
  let dataSource: DataSource;
  let redis: Redis;

  function callerMetadata(overrides: Partial<CallMetadata> = {}): CallMetadata {
    return callFactory.metadata({
      fromMasked: maskPhoneNumber(CALLER),
      toMasked: maskPhoneNumber('+18005550100'),
      callerHash: service.app.get(CallerHistoryService).hashCaller(CALLER),
      startedAt: new Date().toISOString(),
      ...overrides,
    });
  }

  async function refundCall(): Promise<CallMetadata> {
    const metadata = callerMetadata();
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', ['triage', 'refund']));
    return metadata;
  }

  beforeAll(async () => {
    service = await startTestApp({}, 'summaries');
    dataSource = service.app.get(DataSource);
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await service.close();
  });

  it('writes a finished call, its redacted events and summary, readable through GET /calls/:id within seconds', async () => {
    const metadata = await refundCall();
    const call = await summarisedCall(service.baseUrl, metadata.callSid);

    expect(call).toMatchObject({
      callSid: metadata.callSid,
      fromMasked: '+1555***4567',
      toMasked: '+1800***0100',
      finalDepartment: 'refund',
      departments: ['triage', 'refund'],
      outcome: 'resolved',
      endReason: 'hangup',
      status: 'summarised',
    });
    expect(call.events.map((event) => event.seq)).toEqual(call.events.map((_, index) => index + 1));
    expect(call.events.map((event) => event.type)).toEqual([...callFactory.refundCall().events.map((event) => event.type), 'call.ended']);
    expect(call.events[2]).toMatchObject({ type: 'caller.said', text: 'Hi, I want a refund for order ORD-12345, my email is [email]' });
    expect(call.handoffs).toEqual([
      expect.objectContaining({ callId: metadata.callSid, fromAgent: 'triage', toAgent: 'refund', status: 'applied' }),
    ]);
    expect(call.summary).toMatchObject({
      reasonForCall: expect.stringContaining('ORD-12345'),
      departmentsPath: [
        { department: 'triage', handoffReason: null },
        { department: 'refund', handoffReason: 'caller wants a refund for ORD-12345' },
      ],
      actions: { refunds: [{ refundId: 'RF-1A2B3C4D5E', orderId: 'ORD-12345', amount: 84.99, currency: 'USD' }] },
      outcome: 'resolved',
      openItems: [],
      narrative: null,
    });

    const metrics = await request(service.baseUrl).get('/metrics');
    expect(metrics.text).toMatch(/^voice_agent_summaries_written_total [1-9]/m);
  });

  it('keeps emails, phone numbers and card numbers out of stored rows', async () => {
    const metadata = callerMetadata();
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('I am jane@example.com, call me back on +1 555 987 6543, my card is 4111 1111 1111 1111')
      .tool('triage', 'lookup_account_by_email', { email: 'jane@example.com' }, { account_id: 'ACC-001', email: 'jane@example.com' })
      .agentSays('triage', 'Thanks Jane, I found your account for jane@example.com.')
      .callerSays('Great, that is all.')
      .agentSays('triage', 'Bye!');
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved'));
    await summarisedCall(service.baseUrl, metadata.callSid);

    const [stored] = await dataSource.query(
      `SELECT (SELECT string_agg(payload::text, ' ') FROM call_events WHERE call_id = $1) AS events, (SELECT summary::text FROM call_summaries WHERE call_id = $1) AS summary`,
      [metadata.callSid],
    );
    for (const text of [stored.events, stored.summary] as string[]) {
      expect(text).not.toMatch(/jane@example\.com|555 987 6543|4111 1111/);
      expect(text).toContain('[email]');
    }
    expect(stored.events).toContain('[phone]');
    expect(stored.events).toContain('[card]');
    expect(stored.events).toContain('ACC-001');
  });

  it('leaves one summary when the same job is enqueued again and the work is run twice', async () => {
    const metadata = await refundCall();
    await summarisedCall(service.baseUrl, metadata.callSid);
    const counts = () =>
      dataSource.query(
        `SELECT (SELECT count(*)::int FROM calls WHERE id = $1) AS calls, (SELECT count(*)::int FROM call_events WHERE call_id = $1) AS events, (SELECT count(*)::int FROM call_summaries WHERE call_id = $1) AS summaries`,
        [metadata.callSid],
      );
    const before = await counts();
    const history = service.app.get(CallerHistoryService);
    const historyBefore = (await history.load(history.hashCaller(CALLER)))!.filter((entry) => entry.callId === metadata.callSid);

    await service.app.get(PostCallSummaryQueue).enqueue(metadata.callSid, 0);
    const queue = service.app.get<Queue>(getQueueToken(POST_CALL_SUMMARY_QUEUE));
    expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
    const job = await queue.getJob(metadata.callSid);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual({ result: 'written' });

    const summaries = service.app.get(PostCallSummaryService);
    await expect(summaries.summarise(metadata.callSid)).resolves.toBe('already-written');
    await expect(summaries.summarise(metadata.callSid)).resolves.toBe('already-written');

    expect(await counts()).toEqual(before);
    expect(before[0]).toMatchObject({ calls: 1, summaries: 1 });
    expect(historyBefore).toHaveLength(1);
    expect((await history.load(history.hashCaller(CALLER)))!.filter((entry) => entry.callId === metadata.callSid)).toHaveLength(1);
  });

  it('remembers the caller in Redis under a hash, newest first, with an expiry, for the next triage prompt', async () => {
    const metadata = await refundCall();
    await summarisedCall(service.baseUrl, metadata.callSid);
    const history = service.app.get(CallerHistoryService);
    const entries = await history.load(history.hashCaller(CALLER));
    expect(entries![0]).toMatchObject({
      callId: metadata.callSid,
      departments: ['triage', 'refund'],
      outcome: 'resolved',
      summary: 'refund for ORD-12345 (RF-1A2B3C4D5E, 84.99 USD)',
      references: { orders: ['ORD-12345'], refunds: ['RF-1A2B3C4D5E'], tickets: [] },
    });
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(metadata.startedAt));
    expect(describeHistoryForPrompt(entries!, new Date())).toContain(`- ${weekday} `);
    expect(describeHistoryForPrompt(entries!, new Date())).toContain('refund for ORD-12345');

    const key = history.historyKey(history.hashCaller(CALLER));
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(89 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(90 * 24 * 3600);
    const keys = await redis.keys(`${service.isolation.redisKeyPrefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const stored of keys) expect(stored).not.toMatch(/5551234567/);
    expect(JSON.stringify(await redis.lrange(key, 0, -1))).not.toContain('5551234567');
  });

  it('keeps the caller history to the configured number of entries', async () => {
    const history = service.app.get(CallerHistoryService);
    const hash = history.hashCaller('+15550001111');
    for (let index = 0; index < 12; index++) await history.append(hash, callFactory.historyEntry({ summary: `call ${index}` }));
    const entries = await history.load(history.hashCaller('+15550001111'));
    expect(entries!.map((entry) => entry.summary)).toEqual(Array.from({ length: 10 }, (_, index) => `call ${11 - index}`));
  });

  it('fails a job whose payload is invalid without retrying and keeps it for inspection', async () => {
    const queue = service.app.get<Queue>(getQueueToken(POST_CALL_SUMMARY_QUEUE));
    await queue.add('post-call-summary', { callSid: 'bad:id' } as never, {
      jobId: 'bad-payload-1',
      attempts: 5,
      backoff: { type: 'fixed', delay: 10 },
    });
    await queue.add(
      'post-call-summary',
      { callSid: 'CAnever-journaled' },
      { jobId: 'no-journal-1', attempts: 5, backoff: { type: 'fixed', delay: 10 } },
    );
    for (const jobId of ['bad-payload-1', 'no-journal-1']) {
      const job = await waitFor(
        async () => {
          const found = await queue.getJob(jobId);
          return found && (await found.getState()) === 'failed' ? found : undefined;
        },
        { what: `job ${jobId} failed` },
      );
      expect(job.attemptsStarted).toBe(1);
    }
    expect((await queue.getJob('bad-payload-1'))!.failedReason).toMatch(/invalid post-call-summary payload/);
    expect((await queue.getJob('no-journal-1'))!.failedReason).toMatch(/CALL_NOT_FOUND/);
  });

  it('lists calls newest first with filters and pagination', async () => {
    const day = new Date(Date.UTC(2024, 2, 4, 9));
    const at = (minutes: number) => new Date(day.getTime() + minutes * 60_000);
    const faq = new CallScript(at(0))
      .started('triage')
      .callerSays('Opening hours?')
      .handoff('triage', 'faq', 'general question')
      .agentSays('faq', '9 to 5.');
    const refund = callFactory.refundCall(new CallScript(at(10)));
    const hangup = new CallScript(at(20), 1).started('triage').callerSays('Hello?');
    const made = [
      {
        metadata: callerMetadata({ startedAt: at(0).toISOString() }),
        script: faq,
        ending: faq.ending('hangup', 'resolved', ['triage', 'faq']),
      },
      {
        metadata: callerMetadata({ startedAt: at(10).toISOString() }),
        script: refund,
        ending: refund.ending('hangup', 'resolved', ['triage', 'refund']),
      },
      { metadata: callerMetadata({ startedAt: at(20).toISOString() }), script: hangup, ending: hangup.ending('hangup', 'abandoned') },
    ];
    for (const { metadata, script, ending } of made) await playCall(service.app, metadata, script, ending);
    await Promise.all(made.map(({ metadata }) => summarisedCall(service.baseUrl, metadata.callSid)));
    const [faqCall, refundCall, hangupCall] = made.map(({ metadata }) => metadata.callSid);
    const range = `from=${at(0).toISOString()}&to=${at(60).toISOString()}`;
    const list = async (query: string) => (await asSupervisor(service.baseUrl, `/calls?${range}&${query}`).expect(200)).body;

    expect((await list('')).items.map((call: { callSid: string }) => call.callSid)).toEqual([hangupCall, refundCall, faqCall]);
    expect((await list('department=faq')).items.map((call: { callSid: string }) => call.callSid)).toEqual([faqCall]);
    expect((await list('department=triage&outcome=resolved')).items.map((call: { callSid: string }) => call.callSid)).toEqual([
      refundCall,
      faqCall,
    ]);
    expect((await list(`callSid=${refundCall}`)).items.map((call: { callSid: string }) => call.callSid)).toEqual([refundCall]);
    expect(await list('pageSize=2&page=2')).toMatchObject({
      items: [expect.objectContaining({ callSid: faqCall })],
      page: 2,
      pageSize: 2,
      total: 3,
    });
    const after = await asSupervisor(service.baseUrl, `/calls?from=${at(5).toISOString()}&to=${at(15).toISOString()}`).expect(200);
    expect(after.body.items.map((call: { callSid: string }) => call.callSid)).toEqual([refundCall]);
  });

  it('validates the list filters and guards the routes', async () => {
    const bad = await asSupervisor(service.baseUrl, '/calls?from=yesterday&outcome=happy&extra=1').expect(400);
    expect(bad.body.fields.map((field: { field: string }) => field.field).sort()).toEqual(['extra', 'from', 'outcome']);
    await request(service.baseUrl).get('/calls').expect(401);
    await request(service.baseUrl).get('/stats').expect(401);
    await request(service.baseUrl).get('/calls/live').expect(401);
    const missing = await asSupervisor(service.baseUrl, '/calls/CAdoesnotexist').expect(404);
    expect(missing.body).toMatchObject({ status: 404, message: 'Call CAdoesnotexist not found' });
    await asSupervisor(service.baseUrl, '/stats?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z').expect(400);
  });

  it('documents the calls and stats responses in OpenAPI with the fields the routes answer', async () => {
    const metadata = callerMetadata();
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt))).turn('refund', 'openai', 2300, {
      answerLatencyMs: 2900,
      breakdown: { toolsMs: 1200, handoffsMs: 400, otherMs: 1300 },
      tools: [{ toolCallId: 'tc-3', name: 'process_refund', startMs: 600, durationMs: 1200, ok: true }],
      handoffs: [{ from: 'triage', to: 'refund', status: 'applied', startMs: 100, latencyMs: 400 }],
    });
    await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', ['triage', 'refund']));
    await summarisedCall(service.baseUrl, metadata.callSid);
    const document = (await request(service.baseUrl).get('/docs/json').expect(200)).body;
    const okSchema = (path: string): { $ref?: string; type?: string; items?: { $ref: string } } =>
      document.paths[path].get.responses['200'].content['application/json'].schema;
    const propertiesOf = (ref: string): string[] => Object.keys(document.components.schemas[ref.split('/').at(-1)!].properties);

    expect(okSchema('/calls').$ref).toMatch(/CallPage$/);
    expect(okSchema('/calls/live').items?.$ref).toMatch(/LiveCallView$/);
    expect(okSchema('/calls/{id}').$ref).toMatch(/CallDetailView$/);
    expect(okSchema('/stats').$ref).toMatch(/CallStatsView$/);

    const list = (await asSupervisor(service.baseUrl, `/calls?callSid=${metadata.callSid}`).expect(200)).body;
    expect(Object.keys(list).sort()).toEqual(propertiesOf(okSchema('/calls').$ref!).sort());
    expect(Object.keys(list.items[0]).sort()).toEqual(propertiesOf('CallView').sort());
    const detail = (await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`).expect(200)).body;
    expect(Object.keys(detail).sort()).toEqual(propertiesOf(okSchema('/calls/{id}').$ref!).sort());
    const stats = (await asSupervisor(service.baseUrl, '/stats').expect(200)).body;
    expect(Object.keys(stats).sort()).toEqual(propertiesOf(okSchema('/stats').$ref!).sort());
    expect(propertiesOf('CallStatsView')).toEqual(expect.arrayContaining(['containment', 'escalationRate', 'outcomes', 'handoffMatrix']));

    const [turn] = detail.turns;
    expect(Object.keys(turn).sort()).toEqual(propertiesOf('CallTurnView').sort());
    expect(Object.keys(turn.breakdown).sort()).toEqual(propertiesOf('TurnBreakdownView').sort());
    expect(Object.keys(turn.tools[0]).sort()).toEqual(propertiesOf('TurnToolView').sort());
    expect(Object.keys(turn.handoffs[0]).sort()).toEqual(propertiesOf('TurnHandoffView').sort());
    const turnSchema = document.components.schemas.CallTurnView;
    expect(turnSchema.required).not.toContain('breakdown');
    for (const field of ['responseLatencyMs', 'answerLatencyMs']) expect(turnSchema.properties[field]).toMatchObject({ nullable: true });
    expect(Object.keys(stats.turnLatency).sort()).toEqual(propertiesOf('TurnLatencyView').sort());
    expect(Object.keys(stats.turnLatency.overall).sort()).toEqual(propertiesOf('OverallTurnLatency').sort());
    expect(Object.keys(stats.turnLatency.byDepartment[0]).sort()).toEqual(propertiesOf('DepartmentTurnLatency').sort());
    expect(Object.keys(stats.turnLatency.byProvider[0]).sort()).toEqual(propertiesOf('ProviderTurnLatency').sort());
    expect(document.components.schemas.OverallTurnLatency.properties.p95Ms).toMatchObject({
      nullable: true,
      description: expect.stringContaining('percentile_cont'),
    });
  });

  it('shows live calls across the registry and a live call from its journal', async () => {
    const journal = service.app.get(CallJournalService);
    const metadata = callerMetadata();
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('I have a billing question about jane@example.com')
      .handoff('triage', 'billing', 'billing question');
    await journal.begin(metadata);
    for (const event of script.events) journal.record(metadata.callSid, event);
    await service.app.get(CallStatusService).record(metadata.callSid, 'in-progress');

    const live = await waitFor(
      async () => {
        const response = await asSupervisor(service.baseUrl, '/calls/live').expect(200);
        const found = response.body.find((call: { callSid: string; department?: string }) => call.callSid === metadata.callSid);
        return found?.department === 'billing' ? found : undefined;
      },
      { what: 'the live call in GET /calls/live' },
    );
    expect(live).toEqual({
      callSid: metadata.callSid,
      fromMasked: '+1555***4567',
      startedAt: metadata.startedAt,
      instanceId: metadata.instanceId,
      lastHeartbeatAt: expect.any(String),
      department: 'billing',
      // As journaled: redacted.
      lastSaid: { speaker: 'caller', text: 'I have a billing question about [email]', at: script.events[1].at },
      pending: { tools: [], handoffTo: null },
      turns: 0,
      lastResponseLatencyMs: null,
    });

    const detail = await waitFor(
      async () => {
        const response = await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`).expect(200);
        return response.body.events.length === script.events.length + 1 ? response.body : undefined;
      },
      { what: 'the live call transcript' },
    );
    expect(detail).toMatchObject({ status: 'live', summary: null, outcome: null, finalDepartment: 'billing' });
    expect(detail.events.at(-1)).toMatchObject({ type: 'twilio.status', status: 'in-progress' });
    expect(JSON.stringify(detail.events)).not.toContain('jane@example.com');
    const [status] = await dataSource.query('SELECT status FROM call_status_updates WHERE call_sid = $1', [metadata.callSid]);
    expect(status).toEqual({ status: 'in-progress' });

    await journal.finish(metadata.callSid, script.ending('hangup', 'resolved', ['triage', 'billing']));
    const gone = await asSupervisor(service.baseUrl, '/calls/live').expect(200);
    expect(gone.body.map((call: { callSid: string }) => call.callSid)).not.toContain(metadata.callSid);
    await summarisedCall(service.baseUrl, metadata.callSid);
  });
});
