import { MessageEvent } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { FieldLogger, LogFields } from '../../../src/common/field-logger';
import { LiveCallsFeed, LiveCallsUpdate } from '../../../src/summaries/live-calls.feed';
import { LiveCall } from '../../../src/summaries/live-calls.rules';

const POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;

function liveCall(callSid: string, overrides: Partial<LiveCall> = {}): LiveCall {
  return {
    callSid,
    fromMasked: '+1555***4567',
    startedAt: '2025-11-18T10:00:00.000Z',
    instanceId: 'instance-a',
    lastHeartbeatAt: '2025-11-18T10:00:05.000Z',
    department: 'triage',
    lastSaid: null,
    pending: { tools: [], handoffTo: null },
    turns: 0,
    lastResponseLatencyMs: null,
    ...overrides,
  };
}

/** The journal as the feed reads it: a list to answer with, or an outage; counts its reads. */
class FakeLiveCalls {
  calls: LiveCall[] = [];
  down = false;
  reads = 0;

  read = async (): Promise<LiveCall[]> => {
    this.reads++;
    if (this.down) throw new Error('Connection is closed.');
    // A fresh copy each time, as Redis gives: equal content must compare equal.
    return JSON.parse(JSON.stringify(this.calls)) as LiveCall[];
  };
}

class RecordingLogger implements FieldLogger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  log = (message: string, fields?: LogFields) => void this.lines.push({ level: 'log', message, fields });
  warn = (message: string, fields?: LogFields) => void this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: LogFields) => void this.lines.push({ level: 'error', message, fields });
  child = () => this;
}

/** One client's stream, as the SSE route writes it. */
class Client {
  readonly events: MessageEvent[] = [];
  completed = false;
  private readonly subscription: Subscription;

  constructor(feed: LiveCallsFeed) {
    this.subscription = feed.events().subscribe({ next: (event) => this.events.push(event), complete: () => (this.completed = true) });
  }

  /** The live-calls events received, as the list of call SIDs each carried. */
  lists(): string[][] {
    return this.events
      .filter((event) => event.type === 'live-calls')
      .map((event) => (event.data as LiveCallsUpdate).calls.map((call) => call.callSid));
  }

  keepAlives(): number {
    return this.events.filter((event) => event.comment === 'keep-alive').length;
  }

  leave(): void {
    this.subscription.unsubscribe();
  }
}

describe('LiveCallsFeed', () => {
  let source: FakeLiveCalls;
  let logger: RecordingLogger;
  let feed: LiveCallsFeed;
  const clients: Client[] = [];
  const join = () => {
    const client = new Client(feed);
    clients.push(client);
    return client;
  };
  const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-11-18T10:00:10.000Z') });
    source = new FakeLiveCalls();
    logger = new RecordingLogger();
    feed = new LiveCallsFeed(source.read, logger, { pollIntervalMs: POLL_MS, keepAliveMs: KEEP_ALIVE_MS });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.leave();
    jest.useRealTimers();
  });

  it('does not poll while nobody listens', async () => {
    await tick(POLL_MS * 10);
    expect(source.reads).toBe(0);
  });

  it('sends the list at connect, then only when it changes', async () => {
    source.calls = [liveCall('CA1')];
    const client = join();
    await tick(0);
    expect(client.lists()).toEqual([['CA1']]);
    expect(client.events[0]).toEqual({ type: 'live-calls', data: { calls: [liveCall('CA1')], at: '2025-11-18T10:00:10.000Z' } });

    await tick(POLL_MS * 4);
    expect(source.reads).toBe(5);
    expect(client.lists()).toEqual([['CA1']]);

    source.calls = [liveCall('CA1', { lastSaid: { speaker: 'caller', text: 'Hello?', at: '2025-11-18T10:00:11.000Z' } })];
    await tick(POLL_MS);
    source.calls = [liveCall('CA1'), liveCall('CA2', { startedAt: '2025-11-18T10:00:12.000Z' })];
    await tick(POLL_MS);
    source.calls = [];
    await tick(POLL_MS);
    expect(client.lists()).toEqual([['CA1'], ['CA1'], ['CA1', 'CA2'], []]);
    expect((client.events[1].data as LiveCallsUpdate).calls[0].lastSaid?.text).toBe('Hello?');
  });

  it('shares one poller between clients; one joining later gets the current list at once', async () => {
    source.calls = [liveCall('CA1')];
    const first = join();
    await tick(POLL_MS * 2);
    const readsBefore = source.reads;
    const second = join();
    expect(second.lists()).toEqual([['CA1']]);

    await tick(POLL_MS * 2);
    expect(source.reads - readsBefore).toBe(2);
    source.calls = [];
    await tick(POLL_MS);
    expect(first.lists()).toEqual([['CA1'], []]);
    expect(second.lists()).toEqual([['CA1'], []]);
  });

  it('stops polling when the last client leaves, and starts again for the next', async () => {
    const first = join();
    const second = join();
    await tick(POLL_MS);
    first.leave();
    await tick(POLL_MS);
    second.leave();
    const readsWhenAlone = source.reads;
    await tick(POLL_MS * 10);
    expect(source.reads).toBe(readsWhenAlone);

    source.calls = [liveCall('CA9')];
    const next = join();
    await tick(0);
    expect(next.lists()).toEqual([['CA9']]);
  });

  it('writes a keep-alive comment every 15 s', async () => {
    const client = join();
    await tick(KEEP_ALIVE_MS - 1);
    expect(client.keepAlives()).toBe(0);
    await tick(1);
    expect(client.keepAlives()).toBe(1);
    await tick(KEEP_ALIVE_MS);
    expect(client.keepAlives()).toBe(2);
    expect(client.lists()).toEqual([[]]);
  });

  it('keeps streams open through an outage, logs it once, and sends the list again once it can be read', async () => {
    source.calls = [liveCall('CA1')];
    const client = join();
    await tick(0);
    source.down = true;
    await tick(POLL_MS * 6);
    expect(client.completed).toBe(false);
    expect(logger.lines).toEqual([
      { level: 'warn', message: 'Live calls cannot be read; streams stay open until they can', fields: { error: 'Connection is closed.' } },
    ]);

    // Joining during the outage: nothing to send until a read succeeds.
    const duringOutage = join();
    await tick(POLL_MS);
    expect(duringOutage.lists()).toEqual([]);

    source.down = false;
    await tick(POLL_MS);
    // The same list as before the outage, sent again: the client learns it is current.
    expect(client.lists()).toEqual([['CA1'], ['CA1']]);
    expect(duringOutage.lists()).toEqual([['CA1']]);
    expect(logger.lines.map((line) => line.message)).toEqual([
      'Live calls cannot be read; streams stay open until they can',
      'Live calls readable again',
    ]);

    source.down = true;
    await tick(POLL_MS * 2);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(2);
  });

  it('completes every stream at shutdown, stops polling, and ends a stream opened after it at once', async () => {
    const first = join();
    const second = join();
    await tick(POLL_MS);
    feed.onModuleDestroy();
    expect([first.completed, second.completed]).toEqual([true, true]);
    const readsAtShutdown = source.reads;
    await tick(POLL_MS * 10);
    expect(source.reads).toBe(readsAtShutdown);

    const late = join();
    expect(late.completed).toBe(true);
    expect(late.events).toEqual([]);
  });
});
