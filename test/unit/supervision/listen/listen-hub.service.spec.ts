import { Logger } from '@nestjs/common';
import { ListenHubService } from '../../../../src/supervision/listen/listen-hub.service';
import { SupervisionCommand } from '../../../../src/supervision/supervision-command.types';
import { ANN, BOB, CALL_SID, FakeCommandBus, FakeListenerSocket, FakeRedis, listenChannelOf, testConfig } from './listen.fakes';

const CHANNEL = listenChannelOf(CALL_SID);
const frameOf = (callerByte: number, agentByte: number) => Buffer.concat([Buffer.alloc(800, callerByte), Buffer.alloc(800, agentByte)]);
const flushPromises = () => new Promise<void>((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));
const listenerIdOf = (command: SupervisionCommand) => ('listenerId' in command ? command.listenerId : undefined);

describe('ListenHubService (the instance the supervisors are connected to)', () => {
  let bus: FakeCommandBus;
  let redis: FakeRedis;
  let hub: ListenHubService;

  const connect = async (by = ANN) => {
    const socket = new FakeListenerSocket();
    await hub.listen(socket.asWebSocket(), CALL_SID, by);
    return socket;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    bus = new FakeCommandBus();
    redis = new FakeRedis();
    hub = new ListenHubService(bus.asBus(), redis.asFactory(), testConfig());
    hub.onModuleInit();
  });
  afterEach(() => {
    hub.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("leases the call's audio for a new listener, subscribes to the call and says it is listening", async () => {
    const socket = await connect();
    expect(bus.commands).toEqual([
      { callSid: CALL_SID, command: { kind: 'listen', listenerId: expect.stringMatching(/^[0-9a-f-]{36}$/), by: ANN, leaseMs: 6000 } },
    ]);
    expect([...redis.subscriber.subscribed]).toEqual([CHANNEL]);
    expect(socket.json()).toEqual([
      {
        type: 'listening',
        callSid: CALL_SID,
        listenerId: listenerIdOf(bus.commands[0].command),
        sampleRate: 8000,
        channels: ['caller', 'agent'],
        encoding: 'pcm_s16le',
        frameMs: 100,
      },
    ]);
  });

  it('decodes each frame once and sends the same stereo PCM to every listener of the call, on one subscription', async () => {
    const first = await connect(ANN);
    const second = await connect(BOB);
    expect(redis.subscriber.subscribeCalls).toEqual([[CHANNEL]]);
    redis.subscriber.deliver(CHANNEL, frameOf(0x80, 0xff));
    const [audio] = first.audio();
    expect(audio).toHaveLength(3200);
    expect([audio.readInt16LE(0), audio.readInt16LE(2)]).toEqual([32124, 0]);
    expect(second.audio()[0]).toBe(audio);
  });

  it('ignores malformed messages and messages of calls nobody listens to here', async () => {
    const socket = await connect();
    redis.subscriber.deliver(CHANNEL, Buffer.alloc(1599));
    redis.subscriber.deliver(CHANNEL, '{"type":');
    redis.subscriber.deliver(listenChannelOf(`CA${'1'.repeat(32)}`), frameOf(0x80, 0x80));
    expect(socket.sent).toHaveLength(1);
    expect(socket.closed).toBeUndefined();
  });

  it('answers a refused listen with one error message and close 4000 + status', async () => {
    bus.answer = () => ({ ok: false, status: 404, code: 'call_not_found', message: 'No call is known.' });
    const socket = await connect();
    expect(socket.json()).toEqual([{ type: 'error', status: 404, code: 'call_not_found', message: 'No call is known.' }]);
    expect(socket.closed).toEqual({ code: 4404, reason: 'call_not_found' });
    expect(redis.subscriber.subscribeCalls).toEqual([]);
    expect(bus.kinds()).toEqual(['listen']);
  });

  it('takes a failing bus for an unreachable call (4503)', async () => {
    bus.answer = () => Promise.reject(new Error('boom'));
    const socket = await connect();
    expect(socket.closed?.code).toBe(4503);
  });

  it('closes a listener that has left a ping unanswered for 2 s (that much audio unread) with 4008', async () => {
    const reading = await connect(BOB);
    const stalled = await connect(ANN);
    stalled.reading = false;
    jest.advanceTimersByTime(2000);
    await flushPromises();
    expect([stalled.pings, reading.pings]).toEqual([1, 1]);
    expect(stalled.closed).toBeUndefined();
    jest.advanceTimersByTime(2000);
    await flushPromises();
    expect(stalled.closed).toEqual({ code: 4008, reason: 'listener too slow' });
    expect(reading.closed).toBeUndefined();
    expect(bus.commands.filter(({ command }) => command.kind === 'stop-listening')).toEqual([
      { callSid: CALL_SID, command: { kind: 'stop-listening', by: ANN, listenerId: listenerIdOf(bus.commands[1].command) } },
    ]);
  });

  it('closes a listener that does not keep up with 4008 and stops its listening, without holding up the others', async () => {
    const slow = await connect(ANN);
    const keepingUp = await connect(BOB);
    slow.bufferedAmount = 64_001;
    redis.subscriber.deliver(CHANNEL, frameOf(0x80, 0x80));
    expect(slow.closed).toEqual({ code: 4008, reason: 'listener too slow' });
    expect(slow.audio()).toHaveLength(0);
    expect(keepingUp.audio()).toHaveLength(1);
    expect(bus.commands.at(-1)?.command).toMatchObject({
      kind: 'stop-listening',
      by: ANN,
      listenerId: listenerIdOf(bus.commands[0].command),
    });
  });

  it("forwards the end of the call to its listeners, closes them with 1000 and leaves the call's channel", async () => {
    const socket = await connect();
    redis.subscriber.deliver(CHANNEL, '{"type":"ended","reason":"hangup"}');
    expect(socket.json().at(-1)).toEqual({ type: 'ended', reason: 'hangup' });
    expect(socket.closed).toEqual({ code: 1000, reason: 'call ended' });
    expect(redis.subscriber.subscribed.size).toBe(0);
    expect(bus.kinds()).toEqual(['listen']);
  });

  it('renews every listener lease every 2 s, and ends a listener whose call has ended meanwhile', async () => {
    const first = await connect(ANN);
    const second = await connect(BOB);
    jest.advanceTimersByTime(2000);
    await flushPromises();
    expect(bus.kinds()).toEqual(['listen', 'listen', 'listen', 'listen']);
    expect(bus.commands.slice(2).map(({ command }) => listenerIdOf(command))).toEqual(
      bus.commands.slice(0, 2).map(({ command }) => listenerIdOf(command)),
    );
    bus.answer = () => ({ ok: false, status: 409, code: 'call_ended', message: 'The call has ended.' });
    jest.advanceTimersByTime(2000);
    await flushPromises();
    for (const socket of [first, second]) {
      expect(socket.json().at(-1)).toEqual({ type: 'ended' });
      expect(socket.closed?.code).toBe(1000);
    }
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps a listener whose renewal found the call unreachable for a moment', async () => {
    const socket = await connect();
    bus.answer = () => ({ ok: false, status: 503, code: 'call_unreachable', message: 'No answer.' });
    jest.advanceTimersByTime(2000);
    await flushPromises();
    expect(socket.closed).toBeUndefined();
  });

  it('stops listening when the supervisor closes the socket, and leaves the channel with the last listener', async () => {
    const first = await connect(ANN);
    const second = await connect(BOB);
    first.peerCloses();
    expect(redis.subscriber.subscribed.size).toBe(1);
    second.peerCloses();
    await flushPromises();
    expect(bus.kinds()).toEqual(['listen', 'listen', 'stop-listening', 'stop-listening']);
    expect(redis.subscriber.subscribed.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('lets go of a lease granted after its socket had already closed', async () => {
    let grant!: () => void;
    bus.answer = () => new Promise((resolve) => (grant = () => resolve({ ok: true, value: {} })));
    const socket = new FakeListenerSocket();
    const listening = hub.listen(socket.asWebSocket(), CALL_SID, ANN);
    await flushPromises();
    socket.peerCloses();
    grant();
    await listening;
    await flushPromises();
    expect(bus.kinds()).toEqual(['listen', 'stop-listening']);
    expect(redis.subscriber.subscribeCalls).toEqual([]);
  });

  it('has every call listened to here subscribed again once its Redis connection is back, and no other', async () => {
    const socket = await connect();
    expect(redis.resubscribeChannels()).toEqual([CHANNEL]);
    socket.emit('close');
    expect(redis.resubscribeChannels()).toEqual([]);
  });

  it('closes its listeners (1001) and its subscriber when the module stops', async () => {
    const socket = await connect();
    hub.onModuleDestroy();
    expect(socket.closed?.code).toBe(1001);
    expect(redis.subscriber.disconnected).toBe(true);
    expect(bus.kinds()).toEqual(['listen']);
  });
});
