import { SocketWatchdog, WatchedSocket } from '../../../src/common/socket-watchdog';

describe('SocketWatchdog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const member = (): WatchedSocket & { ticks: number[] } => {
    const ticks: number[] = [];
    return { ticks, onWatchdogTick: (now) => void ticks.push(now) };
  };

  it('visits every member on one timer, and stops the timer when the last leaves', () => {
    const watchdog = new SocketWatchdog(1000);
    const first = member();
    const second = member();
    watchdog.watch(first);
    watchdog.watch(second);
    jest.advanceTimersByTime(3000);
    expect(first.ticks).toHaveLength(3);
    expect(second.ticks).toHaveLength(3);
    expect(jest.getTimerCount()).toBe(1);
    watchdog.unwatch(first);
    watchdog.unwatch(second);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps visiting the others when one member throws', () => {
    const watchdog = new SocketWatchdog(500);
    const healthy = member();
    watchdog.watch({
      onWatchdogTick: () => {
        throw new Error('broken');
      },
    });
    watchdog.watch(healthy);
    jest.advanceTimersByTime(1000);
    expect(healthy.ticks).toHaveLength(2);
  });

  it('lets a member leave during a tick without skipping another', () => {
    const watchdog = new SocketWatchdog(500);
    const later = member();
    const leaving: WatchedSocket = { onWatchdogTick: () => watchdog.unwatch(leaving) };
    watchdog.watch(leaving);
    watchdog.watch(later);
    jest.advanceTimersByTime(500);
    expect(later.ticks).toHaveLength(1);
    expect(watchdog.size).toBe(1);
  });

  it('sets its coarse clock on every tick', () => {
    const watchdog = new SocketWatchdog(250);
    const seen = member();
    watchdog.watch(seen);
    jest.advanceTimersByTime(750);
    expect(seen.ticks.every((now, index) => index === 0 || now > seen.ticks[index - 1])).toBe(true);
    expect(watchdog.now).toBe(seen.ticks.at(-1));
  });
});
