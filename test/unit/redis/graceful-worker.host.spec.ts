import { FieldLogger } from '../../../src/common/field-logger';
import { Job } from 'bullmq';
import { GracefulWorkerHost, JOBS_IN_HAND_GRACE_MS } from '../../../src/redis/graceful-worker.host';

class FakeWorker {
  readonly calls: string[] = [];
  readonly name = 'fake-queue';
  async pause(doNotWaitActive: boolean) {
    this.calls.push(`pause(${doNotWaitActive})`);
  }
  async close(force: boolean) {
    this.calls.push(`close(${force})`);
  }
}

class ControlledHost extends GracefulWorkerHost {
  readonly warned: { message: string; fields?: Record<string, unknown> }[] = [];
  protected readonly logger: FieldLogger = {
    log: () => undefined,
    warn: (message, fields) => void this.warned.push({ message, fields }),
    error: () => undefined,
    child: () => this.logger,
  };
  readonly finishers: (() => void)[] = [];
  readonly fakeWorker = new FakeWorker();

  constructor() {
    super();
    (this as unknown as { _worker: FakeWorker })._worker = this.fakeWorker;
  }

  protected handle(): Promise<unknown> {
    return new Promise((resolve) => this.finishers.push(() => resolve('done')));
  }

  get warnings(): string[] {
    return this.warned.map(({ message }) => message);
  }
}

const job = { id: '1' } as Job;

describe('GracefulWorkerHost', () => {
  afterEach(() => jest.useRealTimers());

  it('stops fetching, lets the job in hand finish, then force-closes', async () => {
    const host = new ControlledHost();
    const processed = host.process(job);
    let stopped = false;
    const stopping = host.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(host.fakeWorker.calls).toEqual(['pause(true)']);
    expect(stopped).toBe(false);

    host.finishers[0]();
    await processed;
    await stopping;
    expect(host.fakeWorker.calls).toEqual(['pause(true)', 'close(true)']);
    expect(host.warnings).toEqual([]);
  });

  it('lets go of a job that outlives the grace period and still closes', async () => {
    jest.useFakeTimers();
    const host = new ControlledHost();
    void host.process(job);
    const stopping = host.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(JOBS_IN_HAND_GRACE_MS);
    await stopping;
    expect(host.fakeWorker.calls).toEqual(['pause(true)', 'close(true)']);
    expect(host.warned).toEqual([
      { message: expect.stringContaining('still running'), fields: expect.objectContaining({ running: 1, inHand: 1 }) },
    ]);
  });

  it('closes at once with nothing in hand', async () => {
    const host = new ControlledHost();
    await host.onModuleDestroy();
    expect(host.fakeWorker.calls).toEqual(['pause(true)', 'close(true)']);
  });

  it('passes the job result through', async () => {
    const host = new ControlledHost();
    const processed = host.process(job);
    host.finishers[0]();
    await expect(processed).resolves.toBe('done');
  });
});
