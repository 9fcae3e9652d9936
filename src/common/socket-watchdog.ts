/** Something the watchdog visits on every tick: it pings its socket and judges its own silence. */
export interface WatchedSocket {
  onWatchdogTick(now: number): void;
}

/**
 * One timer for many sockets instead of a timer each: at thousands of calls that is thousands
 * fewer timers. `now` is a coarse clock set on every tick, so frame handlers can stamp activity
 * by reading a field rather than asking the system for the time 50 times a second per call.
 */
export class SocketWatchdog {
  private readonly members = new Set<WatchedSocket>();
  private timer?: NodeJS.Timeout;
  now = Date.now();

  constructor(readonly intervalMs: number) {}

  watch(member: WatchedSocket): void {
    this.members.add(member);
    if (this.timer) return;
    this.now = Date.now();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  unwatch(member: WatchedSocket): void {
    this.members.delete(member);
    if (this.members.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get size(): number {
    return this.members.size;
  }

  private tick(): void {
    this.now = Date.now();
    for (const member of [...this.members]) {
      try {
        member.onWatchdogTick(this.now);
      } catch {
        // A member's own failure must not stop the others being watched.
      }
    }
  }
}
