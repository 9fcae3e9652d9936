import Redis from 'ioredis';
import { CallEvent } from '../../../src/call-journal/call-event.types';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { CallJournalStore } from '../../../src/call-journal/call-journal.store';
import { CallerHistoryService } from '../../../src/caller-history/caller-history.service';
import { startTestApp, TestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';
import { waitFor } from '../../support/wait-for';
import { asSupervisor, logHandoffs, summarisedCall } from '../summaries/journaled-call';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';

const REDIS_URL = 'redis://127.0.0.1:6379';
const ORPHAN_AFTER_MS = 1500;

describe('call journal: a crashed instance loses nothing and its calls are summarised by another', () => {
  let crashing: TestApp;
  let survivor: TestApp;

  beforeAll(async () => {
    crashing = await startTestApp({ CALL_ORPHAN_AFTER_MS: String(ORPHAN_AFTER_MS) }, 'journalcrash');
    survivor = await startTestApp(
      {
        DATABASE_URL: crashing.isolation.databaseUrl,
        REDIS_KEY_PREFIX: crashing.isolation.redisKeyPrefix,
        CALL_ORPHAN_AFTER_MS: String(ORPHAN_AFTER_MS),
      },
      'journalsurvivor',
    );
  });
  afterAll(async () => {
    await crashing.close().catch(() => undefined);
    await survivor.close();
  });

  it('keeps a live call alive while its instance heartbeats, then closes and summarises it once the instance is gone', async () => {
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString(), instanceId: 'instance-crashing' });
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    const journal = crashing.app.get(CallJournalService);
    await journal.begin(metadata);
    await logHandoffs(crashing.app, metadata.callSid, script.events);
    for (const event of script.events) journal.record(metadata.callSid, event);

    // Durable within moments, not only in the crashing instance's memory.
    const store = survivor.app.get(CallJournalStore);
    await waitFor(async () => (await store.read(metadata.callSid))?.events.length === script.events.length, {
      what: 'the events in Redis',
    });

    // Several orphan windows pass: the heartbeat keeps it live and no sweep closes it.
    const liveSince = Date.now();
    await waitFor(async () => Date.now() - liveSince > ORPHAN_AFTER_MS * 2 && (await asSupervisor(survivor.baseUrl, '/calls/live')).body, {
      what: 'two orphan windows',
      timeoutMs: 10_000,
    });
    const live = await asSupervisor(survivor.baseUrl, '/calls/live').expect(200);
    expect(live.body).toEqual([
      expect.objectContaining({ callSid: metadata.callSid, instanceId: 'instance-crashing', department: 'refund' }),
    ]);
    expect((await store.read(metadata.callSid))?.ending).toBeNull();

    await crashing.close();

    const call = await summarisedCall(survivor.baseUrl, metadata.callSid, ORPHAN_AFTER_MS * 10);
    expect(call).toMatchObject({ outcome: 'failed', endReason: 'orphaned', finalDepartment: 'refund', departments: ['triage', 'refund'] });
    expect(call.events.map((event) => event.type)).toEqual([...script.events.map((event) => event.type), 'call.ended']);
    expect(call.events.at(-1)).toMatchObject({ type: 'call.ended', reason: 'orphaned', outcome: 'failed' });
    expect(call.summary?.actions.refunds).toEqual([expect.objectContaining({ refundId: 'RF-1A2B3C4D5E' })]);
    expect(call.summary?.openItems).toContain('The call ended unexpectedly (orphaned): follow up with the caller');
    expect((await asSupervisor(survivor.baseUrl, '/calls/live')).body).toEqual([]);
  });

  it('keeps an escalation that happened before the crash as the outcome', async () => {
    const survivorJournal = survivor.app.get(CallJournalStore);
    const metadata = callFactory.metadata({ startedAt: new Date(Date.now() - 60_000).toISOString(), instanceId: 'instance-gone' });
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('Get me a human now')
      .handoff('triage', 'escalation', 'wants a human')
      .escalation('caller insists on a person');
    // A registration whose heartbeat is already stale, as left behind by an instance that died.
    await survivorJournal.writeRound(
      [metadata],
      [
        {
          callSid: metadata.callSid,
          instanceId: metadata.instanceId,
          firstSeq: 0,
          events: script.events.map((event) => JSON.stringify(event)),
        },
      ],
      Date.now() - ORPHAN_AFTER_MS * 3,
    );
    const call = await summarisedCall(survivor.baseUrl, metadata.callSid, ORPHAN_AFTER_MS * 10);
    expect(call).toMatchObject({ outcome: 'escalated', endReason: 'orphaned', finalDepartment: 'escalation' });
  });

  it('does not close a call as orphaned when its owner heartbeated after the sweep found it stale', async () => {
    const store = survivor.app.get(CallJournalStore);
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString(), instanceId: 'instance-slow' });
    const staleSince = Date.now() - ORPHAN_AFTER_MS * 3;
    await store.writeRound(
      [metadata],
      [
        {
          callSid: metadata.callSid,
          instanceId: metadata.instanceId,
          firstSeq: 0,
          events: [JSON.stringify(new CallScript().started().events[0])],
        },
      ],
      staleSince,
    );
    const staleBefore = Date.now() - ORPHAN_AFTER_MS;
    expect((await store.staleCalls(staleBefore)).map((call) => call.callSid)).toContain(metadata.callSid);
    // The owner's heartbeat lands between the sweep's read and its close.
    await store.heartbeat([{ callSid: metadata.callSid, instanceId: metadata.instanceId }], Date.now());
    const closed = await store.closeAsOrphan(
      metadata.callSid,
      { endedAt: new Date().toISOString(), reason: 'orphaned', outcome: 'failed', finalDepartment: 'triage', departments: ['triage'] },
      { type: 'call.ended', at: new Date().toISOString(), reason: 'orphaned', outcome: 'failed' },
      staleBefore,
    );
    expect(closed.stored).toBe(false);
    expect((await store.read(metadata.callSid))?.ending).toBeNull();
    await store.unregister(metadata.callSid);
  });

  it('appends a retried batch exactly once', async () => {
    const store = survivor.app.get(CallJournalStore);
    const metadata = callFactory.metadata();
    const events = new CallScript()
      .started()
      .callerSays('one')
      .callerSays('two')
      .events.map((event) => JSON.stringify(event));
    await store.writeRound(
      [metadata],
      [{ callSid: metadata.callSid, instanceId: metadata.instanceId, firstSeq: 0, events: events.slice(0, 2) }],
      Date.now(),
    );
    // The reply to the next batch was "lost": it is sent again, overlapping what landed.
    await store.writeRound([], [{ callSid: metadata.callSid, instanceId: metadata.instanceId, firstSeq: 0, events }], Date.now());
    await store.writeRound([], [{ callSid: metadata.callSid, instanceId: metadata.instanceId, firstSeq: 0, events }], Date.now());
    expect((await store.read(metadata.callSid))?.events.map((event: CallEvent) => JSON.stringify(event))).toEqual(events);
    await store.unregister(metadata.callSid);
  });
});

describe('call journal and caller history while Redis is down', () => {
  let service: TestApp;
  let redis: TcpProxy;

  beforeAll(async () => {
    redis = TcpProxy.forUrl(REDIS_URL);
    await redis.start();
    service = await startTestApp({ REDIS_URL: redis.proxiedUrl(REDIS_URL) }, 'journalredisdown');
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await service.close();
    await redis.stop();
  });

  it('loads no caller history, quickly, and the call goes on', async () => {
    const history = service.app.get(CallerHistoryService);
    await history.append(history.hashCaller('+15557654321'), callFactory.historyEntry());
    expect(await history.load(history.hashCaller('+15557654321'))).toHaveLength(1);
    await redis.cut();
    const started = Date.now();
    expect(await history.load(history.hashCaller('+15557654321'))).toBeNull();
    expect(Date.now() - started).toBeLessThan(500);
    await redis.start();
    await waitFor(async () => ((await history.load(history.hashCaller('+15557654321')))?.length ?? 0) === 1, {
      what: 'history again once Redis is back',
      timeoutMs: 15_000,
    });
  });

  it('answers 503 call_journal_unavailable, not 404, for a live call while Redis is down', async () => {
    const journal = service.app.get(CallJournalService);
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    await journal.begin(metadata);
    await journal.flushNow();
    await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`).expect(200);
    await redis.cut();
    try {
      const answer = await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`).expect(503);
      expect(answer.body).toMatchObject({ status: 503, code: 'call_journal_unavailable' });
    } finally {
      await redis.start();
    }
    await waitFor(async () => (await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`)).status === 200, {
      what: 'the live call readable again once Redis is back',
      timeoutMs: 15_000,
    });
    await asSupervisor(service.baseUrl, '/calls/CA-never-existed').expect(404);
  });

  it('buffers the events of a call while Redis is down and writes them, in order, once it is back', async () => {
    const journal = service.app.get(CallJournalService);
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    const script = callFactory.refundCall(new CallScript(new Date(metadata.startedAt)));
    await journal.begin(metadata);
    await logHandoffs(service.app, metadata.callSid, script.events);
    journal.record(metadata.callSid, script.events[0]);
    await journal.flushNow();
    await redis.cut();
    for (const event of script.events.slice(1)) journal.record(metadata.callSid, event);
    await journal.flushNow();
    const direct = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect(await direct.llen(service.app.get(CallJournalStore).eventsKey(metadata.callSid))).toBe(1);
    } finally {
      direct.disconnect();
    }
    const finishing = journal.finish(metadata.callSid, script.ending('hangup', 'resolved', ['triage', 'refund']));
    await redis.start();
    await finishing;
    const call = await summarisedCall(service.baseUrl, metadata.callSid, 20_000);
    expect(call.events.map((event) => event.type)).toEqual([...script.events.map((event) => event.type), 'call.ended']);
    expect(call.outcome).toBe('resolved');
  });
});
