import { performance } from 'node:perf_hooks';

export interface PacerStats {
  /** Slot times processed. */
  slots: number;
  /** Slots handled later than one frame period after they were due (the process fell behind). */
  lateSlots: number;
  /** Frames not sent because the pacer was too far behind to catch up (a saturated sender). */
  skippedFrames: number;
  maxLagMs: number;
}

/**
 * One timer for all streams: every stream gets a fixed phase (slot) inside the frame period,
 * spread evenly, and sends one frame per period at that phase. Many calls therefore send
 * evenly through the period as real callers do, not all at once on one tick. Scheduling is
 * against the pacer's start, so timer lateness never accumulates into drift.
 */
export class FramePacer<T> {
  private readonly slotCount: number;
  private readonly slots: Set<T>[];
  private readonly slotOf = new Map<T, number>();
  private nextSlotAssignment = 0;
  private startedAt = 0;
  private processed = -1;
  private timer: NodeJS.Timeout | undefined;
  private readonly stats: PacerStats = { slots: 0, lateSlots: 0, skippedFrames: 0, maxLagMs: 0 };

  constructor(
    private readonly frameMs: number,
    private readonly tickMs: number,
    private readonly sendFrame: (item: T) => void,
    private readonly maxBacklogPeriods = 2,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.slotCount = Math.max(1, Math.round(frameMs / tickMs));
    this.slots = Array.from({ length: this.slotCount }, () => new Set<T>());
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(item: T): void {
    if (this.slotOf.has(item)) return;
    const slot = this.nextSlotAssignment++ % this.slotCount;
    this.slotOf.set(item, slot);
    this.slots[slot].add(item);
    if (!this.timer) this.start();
  }

  remove(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slots[slot].delete(item);
    this.slotOf.delete(item);
  }

  snapshot(): PacerStats {
    return { ...this.stats };
  }

  resetStats(): void {
    Object.assign(this.stats, { slots: 0, lateSlots: 0, skippedFrames: 0, maxLagMs: 0 });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs the slots due at `now` (exposed for tests; the timer calls it). */
  runDue(): void {
    const now = this.now();
    const due = Math.floor((now - this.startedAt) / this.tickMs);
    const backlogLimit = this.maxBacklogPeriods * this.slotCount;
    if (due - this.processed > backlogLimit) {
      const skippedSlots = due - this.processed - backlogLimit;
      for (let slot = this.processed + 1; slot <= this.processed + skippedSlots; slot++) {
        this.stats.skippedFrames += this.slots[slot % this.slotCount].size;
      }
      this.processed += skippedSlots;
    }
    for (let slot = this.processed + 1; slot <= due; slot++) {
      const lag = now - (this.startedAt + slot * this.tickMs);
      if (lag > this.stats.maxLagMs) this.stats.maxLagMs = lag;
      if (lag > this.frameMs) this.stats.lateSlots++;
      this.stats.slots++;
      for (const item of this.slots[slot % this.slotCount]) this.sendFrame(item);
    }
    this.processed = Math.max(this.processed, due);
  }

  private start(): void {
    this.startedAt = this.now();
    this.processed = -1;
    const loop = (): void => {
      this.runDue();
      if (this.slotOf.size === 0) {
        this.timer = undefined;
        return;
      }
      const nextAt = this.startedAt + (this.processed + 1) * this.tickMs;
      this.timer = setTimeout(loop, Math.max(0, nextAt - this.now()));
    };
    this.timer = setTimeout(loop, 0);
  }
}
