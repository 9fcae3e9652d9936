import { Logger } from '@nestjs/common';
import { ListenTapService } from '../../../../src/supervision/listen/listen-tap.service';
import { ANN, BOB, CALL_SID, FakeRedis, FakeSupervisedCall, listenChannelOf, OTHER_CALL_SID, testConfig } from './listen.fakes';

const twentyMs = (byte: number) => Buffer.alloc(160, byte).toString('base64');
const flushPromises = () => new Promise<void>((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

describe('ListenTapService (the instance holding the call)', () => {
  let redis: FakeRedis;
  let service: ListenTapService;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    redis = new FakeRedis();
    service = new ListenTapService(redis.asFactory(), testConfig());
  });
  afterEach(() => {
    service.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("records a listener's start once, renewals included, and taps the call once for all its listeners", () => {
    const call = new FakeSupervisedCall();
    expect(service.lease(call, 'listener-1', ANN, 6000)).toMatchObject({
      ok: true,
      value: { callSid: CALL_SID, listenerId: 'listener-1' },
    });
    service.lease(call, 'listener-1', ANN, 6000);
    service.lease(call, 'listener-2', BOB, 6000);
    expect(call.listened).toEqual([
      { name: 'Ann', listenerId: 'listener-1', state: 'started' },
      { name: 'Bob', listenerId: 'listener-2', state: 'started' },
    ]);
    expect(call.tapsAttached).toBe(1);
    expect(service.listenersOf(CALL_SID)).toEqual([
      { listenerId: 'listener-1', by: ANN, since: new Date(1_000_000).toISOString() },
      { listenerId: 'listener-2', by: BOB, since: new Date(1_000_000).toISOString() },
    ]);
    expect(service.listenersOf(OTHER_CALL_SID)).toEqual([]);
  });

  it('publishes one 1600-byte frame of both legs per tapped call every 100 ms, on one timer', () => {
    const call = new FakeSupervisedCall();
    const other = new FakeSupervisedCall(OTHER_CALL_SID);
    service.lease(call, 'listener-1', ANN, 6000);
    service.lease(other, 'listener-2', ANN, 6000);
    for (let frame = 0; frame < 5; frame++) call.tap?.callerAudio(twentyMs(0x10));
    call.tap?.agentAudio(Buffer.alloc(800, 0x20).toString('base64'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(100);
    expect(redis.published.map(({ channel }) => channel)).toEqual([listenChannelOf(CALL_SID), listenChannelOf(OTHER_CALL_SID)]);
    const frame = redis.published[0].message as Buffer;
    expect(frame).toHaveLength(1600);
    expect(frame.subarray(0, 800).every((byte) => byte === 0x10)).toBe(true);
    expect(frame.subarray(800).every((byte) => byte === 0x20)).toBe(true);
    jest.advanceTimersByTime(900);
    expect(redis.published).toHaveLength(20);
  });

  it('records a listener stopping, and untaps the call and stops the timer when the last one leaves', () => {
    const call = new FakeSupervisedCall();
    service.lease(call, 'listener-1', ANN, 6000);
    service.lease(call, 'listener-2', BOB, 6000);
    expect(service.release(call, 'listener-1', ANN)).toMatchObject({ ok: true, value: { stopped: true } });
    expect(call.tap).toBeDefined();
    service.release(call, 'listener-2', BOB);
    expect(service.release(call, 'listener-2', BOB)).toMatchObject({ ok: true, value: { stopped: false } });
    expect(call.listened.filter(({ state }) => state === 'stopped').map(({ listenerId }) => listenerId)).toEqual([
      'listener-1',
      'listener-2',
    ]);
    expect(call.tap).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
    expect(service.listenersOf(CALL_SID)).toEqual([]);
  });

  it("drops a lease nobody renewed (the listener's instance is gone) as stopped", () => {
    const call = new FakeSupervisedCall();
    service.lease(call, 'listener-1', ANN, 6000);
    service.lease(call, 'listener-2', BOB, 6000);
    jest.advanceTimersByTime(4000);
    service.lease(call, 'listener-2', BOB, 6000);
    jest.advanceTimersByTime(2100);
    expect(call.listened.at(-1)).toEqual({ name: 'Ann', listenerId: 'listener-1', state: 'stopped' });
    expect(service.listenersOf(CALL_SID).map(({ listenerId }) => listenerId)).toEqual(['listener-2']);
    jest.advanceTimersByTime(4000);
    expect(call.listened.at(-1)).toEqual({ name: 'Bob', listenerId: 'listener-2', state: 'stopped' });
    expect(call.tap).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('tells the listeners when the call ends, and forgets it', async () => {
    const call = new FakeSupervisedCall();
    service.lease(call, 'listener-1', ANN, 6000);
    call.end('hangup');
    await flushPromises();
    expect(redis.published.at(-1)).toEqual({ channel: listenChannelOf(CALL_SID), message: '{"type":"ended","reason":"hangup"}' });
    expect(call.listened.at(-1)).toEqual({ name: 'Ann', listenerId: 'listener-1', state: 'stopped' });
    expect(call.tap).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
    expect(service.lease(call, 'listener-2', ANN, 6000)).toMatchObject({ ok: false, status: 409, code: 'call_ended' });
  });

  it('never throws into the call while Redis is away, and says so once', async () => {
    const call = new FakeSupervisedCall();
    service.lease(call, 'listener-1', ANN, 6000);
    redis.client.status = 'reconnecting';
    jest.advanceTimersByTime(300);
    redis.client.status = 'ready';
    redis.publishFailure = new Error('Connection is closed.');
    jest.advanceTimersByTime(300);
    await flushPromises();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(redis.published).toHaveLength(0);
    redis.publishFailure = undefined;
    jest.advanceTimersByTime(100);
    expect(redis.published).toHaveLength(1);
  });

  it('untaps every call when the module stops', () => {
    const call = new FakeSupervisedCall();
    service.lease(call, 'listener-1', ANN, 6000);
    service.onModuleDestroy();
    expect(call.tap).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });
});
