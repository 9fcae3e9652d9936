import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HandoffLogEntry } from '../../../src/handoff/handoff.types';
import { HANDOFF_LOG_INSERT_JOB } from '../../../src/handoff/handoff-log/handoff-log.job';
import { HandoffLogService } from '../../../src/handoff/handoff-log/handoff-log.service';
import { HandoffLogRepository } from '../../../src/handoff/handoff-log/handoff-log.repository';
import { handoffLogEntryFactory } from './handoff-log-entry.factory';

class FakeHandoffLogRepository {
  readonly stored: HandoffLogEntry[] = [];
  failure?: Error;
  release?: () => void;
  private gate?: Promise<void>;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  async insert(entry: HandoffLogEntry): Promise<void> {
    await this.gate;
    if (this.failure) throw this.failure;
    this.stored.push(entry);
  }
}

class FakeQueue extends EventEmitter {
  readonly added: { name: string; data: HandoffLogEntry; options: Record<string, unknown> }[] = [];
  failure?: Error;

  async add(name: string, data: HandoffLogEntry, options: Record<string, unknown>): Promise<void> {
    if (this.failure) throw this.failure;
    this.added.push({ name, data, options });
  }
}

describe('HandoffLogService.record', () => {
  let store: FakeHandoffLogRepository;
  let queue: FakeQueue;
  let service: HandoffLogService;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

  beforeEach(() => {
    store = new FakeHandoffLogRepository();
    queue = new FakeQueue();
    service = new HandoffLogService(store as unknown as HandoffLogRepository, queue as unknown as Queue);
  });

  it('returns before the insert finishes and stores the entry', async () => {
    store.hold();
    const entry = handoffLogEntryFactory.applied();
    expect(service.record(entry)).toBeUndefined();
    expect(store.stored).toEqual([]);
    store.release!();
    await service.beforeApplicationShutdown();
    expect(store.stored).toEqual([entry]);
    expect(queue.added).toEqual([]);
  });

  it('queues the entry for retry, keyed by its id, when Postgres fails', async () => {
    store.failure = new Error('connect ECONNREFUSED');
    const entry = handoffLogEntryFactory.refused();
    service.record(entry);
    await service.beforeApplicationShutdown();
    expect(queue.added).toEqual([
      { name: HANDOFF_LOG_INSERT_JOB, data: entry, options: expect.objectContaining({ jobId: entry.id, removeOnFail: false }) },
    ]);
  });

  it('never throws, even when neither Postgres nor the queue answers', async () => {
    store.failure = new Error('Postgres down');
    queue.failure = new Error('Redis down');
    expect(() => service.record(handoffLogEntryFactory.applied())).not.toThrow();
    await expect(service.beforeApplicationShutdown()).resolves.toBeUndefined();
  });

  it('refuses a malformed entry without storing or throwing', async () => {
    expect(() => service.record({ ...handoffLogEntryFactory.applied(), id: 'nope' })).not.toThrow();
    await service.beforeApplicationShutdown();
    expect(store.stored).toEqual([]);
    expect(queue.added).toEqual([]);
  });
});
