/** What every provider client needs while its socket is down: a backoff schedule and bounded buffers. */

/** The delay before reconnect attempt `attempt` (0-based): the schedule's entry, its last one once past the end. */
export function backoffDelayMs(attempt: number, backoffMs: readonly number[]): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(attempt, backoffMs.length - 1)];
}

// Fixed-capacity FIFO that drops the oldest entry when full.
export class BoundedQueue<T> {
  private items: T[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Returns true when an old entry had to be dropped to make room. */
  push(item: T): boolean {
    this.items.push(item);
    if (this.items.length <= this.capacity) return false;
    this.items.shift();
    return true;
  }

  drain(): T[] {
    const drained = this.items;
    this.items = [];
    return drained;
  }
}
