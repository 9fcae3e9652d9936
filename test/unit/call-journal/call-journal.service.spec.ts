import { Logger } from '@nestjs/common';
import { CallEnding, CallEvent, CallMetadata } from '../../../src/call-journal/call-event.types';
import { CallJournalOptions } from '../../../src/call-journal/call-journal.options';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { storableEvent } from '../../../src/call-journal/journaled-event';
import { CallJournalStore, EventBatch } from '../../../src/call-journal/call-journal.store';
import { PostCallSummaryQueue } from '../../../src/summaries/post-call-summary.queue';
import { waitFor } from '../../support/wait-for';
import { callFactory, CallScript } from '../summaries/call.factory';

/** Redis as the journal sees it, with the same exactly-once append rule as the Lua script. */
class FakeJournalStore {
  down = false;
  failedWrites = 0;
  /** Applies the write but loses the reply, like a connection dropping at the wrong moment. */
  loseNextReply = false;
  readonly lists = new Map<string, string[]>();
  readonly written = new Map<string, number>();
  readonly registered = new Set<string>();
  readonly endings = new Map<string, CallEnding>();

  async writeRound(
    registrations: CallMetadata[],
    batches: EventBatch[],
  ): Promise<{ registrations: (Error | null)[]; batches: (Error | null)[]; reclaimed: string[] }> {
    if (this.down) {
      this.failedWrites++;
      throw new Error('connect ECONNREFUSED');
    }
    for (const metadata of registrations) this.registered.add(metadata.callSid);
    for (const batch of batches) {
      const written = this.written.get(batch.callSid) ?? 0;
      const list = this.lists.get(batch.callSid) ?? [];
      list.push(...batch.events.slice(Math.max(0, written - batch.firstSeq)));
      this.lists.set(batch.callSid, list);
      this.written.set(batch.callSid, Math.max(written, batch.firstSeq + batch.events.length));
    }
    if (this.loseNextReply) {
      this.loseNextReply = false;
      throw new Error('Connection is closed.');
    }
    return { registrations: registrations.map(() => null), batches: batches.map(() => null), reclaimed: [] };
  }

  async closeAsOwner(callSid: string, _instanceId: string, ending: CallEnding): Promise<{ stored: boolean; revision: number }> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.endings.set(callSid, ending);
    return { stored: true, revision: 0 };
  }

  async unregister(callSid: string): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.registered.delete(callSid);
  }

  async heartbeat(): Promise<{ reclaimed: string[] }> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    return { reclaimed: [] };
  }

  readonly foreign: { callSid: string; event: CallEvent }[] = [];

  async isRegistered(callSid: string): Promise<boolean> {
    return this.registered.has(callSid);
  }

  async appendForeign(callSid: string, event: CallEvent): Promise<void> {
    this.foreign.push({ callSid, event });
  }

  events(callSid: string): CallEvent[] {
    return (this.lists.get(callSid) ?? []).map((item) => JSON.parse(item) as CallEvent);
  }
}

class FakeSummaryQueue {
  readonly enqueued: string[] = [];
  async enqueue(callSid: string): Promise<void> {
    this.enqueued.push(callSid);
  }
}

const options: CallJournalOptions = {
  flushDelayMs: 1,
  flushBatchSize: 3,
  maxBufferedEvents: 20,
  retryMinDelayMs: 5,
  retryMaxDelayMs: 20,
  finishWaitMs: 200,
  heartbeatIntervalMs: 1000,
  orphanAfterMs: 6000,
  sweepIntervalMs: 2000,
  retentionSeconds: 60,
  storedRetentionSeconds: 30,
};

describe('CallJournalService', () => {
  let store: FakeJournalStore;
  let queue: FakeSummaryQueue;
  let journal: CallJournalService;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(() => {
    store = new FakeJournalStore();
    queue = new FakeSummaryQueue();
    journal = new CallJournalService(store as unknown as CallJournalStore, queue as unknown as PostCallSummaryQueue, options);
  });
  afterEach(() => journal.onApplicationShutdown());

  it('registers on begin and appends events in order, in batches', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    expect(store.registered.has(metadata.callSid)).toBe(true);
    const script = callFactory.refundCall();
    for (const event of script.events) journal.record(metadata.callSid, event);
    await waitFor(() => store.events(metadata.callSid).length === script.events.length, { what: 'all events in the store' });
    expect(store.events(metadata.callSid)).toEqual(script.events.map(storableEvent));
  });

  it('records an outside event in order for its own live call, appends it for another live instance, and drops it otherwise', async () => {
    const status = (value: string): CallEvent => ({ type: 'twilio.status', at: new Date().toISOString(), status: value });
    const own = callFactory.metadata();
    await journal.begin(own);
    await journal.recordFromOutside(own.callSid, status('in-progress'));
    await waitFor(() => store.events(own.callSid).length === 1, { what: 'the status in the call journal' });
    expect(store.events(own.callSid)[0]).toMatchObject({ type: 'twilio.status', status: 'in-progress' });
    expect(store.foreign).toEqual([]);

    store.registered.add('CA-on-another-instance');
    await journal.recordFromOutside('CA-on-another-instance', status('in-progress'));
    await journal.recordFromOutside('CA-not-live', status('completed'));
    expect(store.foreign).toEqual([{ callSid: 'CA-on-another-instance', event: expect.objectContaining({ status: 'in-progress' }) }]);

    // Twilio's final status arriving while the call is being closed stays out of its journal.
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const finishing = journal.finish(own.callSid, new CallScript().ending('hangup', 'resolved'));
    await journal.recordFromOutside(own.callSid, status('completed'));
    await finishing;
    expect(store.events(own.callSid).map((event) => event.type)).toEqual(['twilio.status', 'call.ended']);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });

  it('keeps events in memory while Redis is down and writes each exactly once when it returns', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    const script = callFactory.refundCall();
    store.down = true;
    for (const event of script.events.slice(0, 5)) journal.record(metadata.callSid, event);
    await waitFor(() => store.failedWrites >= 2, { what: 'writes failing while Redis is down' });
    expect(store.events(metadata.callSid)).toEqual([]);
    store.loseNextReply = true;
    store.down = false;
    for (const event of script.events.slice(5)) journal.record(metadata.callSid, event);
    await waitFor(() => store.events(metadata.callSid).length >= script.events.length, { what: 'buffered events written' });
    await journal.flushNow();
    expect(store.events(metadata.callSid)).toEqual(script.events.map(storableEvent));
  });

  it('drops and counts events beyond the buffer bound instead of growing without limit', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    store.down = true;
    const script = new CallScript().started();
    for (let index = 0; index < options.maxBufferedEvents + 5; index++) script.callerSays(`utterance ${index}`);
    for (const event of script.events) journal.record(metadata.callSid, event);
    store.down = false;
    await waitFor(() => store.events(metadata.callSid).length === options.maxBufferedEvents, { what: 'the bounded buffer written' });
    expect(store.events(metadata.callSid)).toEqual(script.events.slice(0, options.maxBufferedEvents));
  });

  it('finish() writes call.ended, stores the ending, enqueues the summary and leaves the registry', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    const script = callFactory.refundCall();
    for (const event of script.events) journal.record(metadata.callSid, event);
    const ending = script.ending('hangup', 'resolved', ['triage', 'refund']);
    await journal.finish(metadata.callSid, ending);
    expect(store.events(metadata.callSid).at(-1)).toEqual({
      type: 'call.ended',
      at: ending.endedAt,
      reason: 'hangup',
      outcome: 'resolved',
    });
    expect(store.endings.get(metadata.callSid)).toEqual(ending);
    expect(queue.enqueued).toEqual([metadata.callSid]);
    expect(store.registered.has(metadata.callSid)).toBe(false);
    expect(journal.isLocal(metadata.callSid)).toBe(false);
  });

  it('does not add a second call.ended when the session recorded one', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    const script = callFactory.refundCall().ended('hangup', 'resolved');
    for (const event of script.events) journal.record(metadata.callSid, event);
    await journal.finish(metadata.callSid, script.ending('hangup', 'resolved'));
    expect(store.events(metadata.callSid).filter((event) => event.type === 'call.ended')).toHaveLength(1);
  });

  it('finish() returns within its bound while Redis is down, and completes once it is back', async () => {
    const metadata = callFactory.metadata();
    await journal.begin(metadata);
    store.down = true;
    const script = new CallScript().started().callerSays('hello');
    for (const event of script.events) journal.record(metadata.callSid, event);
    const started = Date.now();
    await journal.finish(metadata.callSid, script.ending('hangup', 'abandoned'));
    expect(Date.now() - started).toBeLessThan(options.finishWaitMs + 150);
    expect(queue.enqueued).toEqual([]);
    store.down = false;
    await waitFor(() => queue.enqueued.length === 1, { what: 'the summary enqueued after Redis returned' });
    expect(store.events(metadata.callSid).map((event) => event.type)).toEqual(['call.started', 'caller.said', 'call.ended']);
  });

  it('never throws from record(), even for unknown calls or events it cannot serialise', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => journal.record('CAunknown', { type: 'interruption', at: new Date().toISOString() })).not.toThrow();
    expect(() =>
      journal.record('CAunknown', { type: 'tool.called', at: '', department: 'x', toolCallId: '1', name: 'n', arguments: cyclic }),
    ).not.toThrow();
  });
});
