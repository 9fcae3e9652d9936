/** What a ThrottlerStorage `increment` answers (the fields a verdict needs). */
export interface BudgetRecord {
  totalHits: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

export type BudgetVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A sliding-window budget counted with no block duration: the storage refuses to count a hit
 * once the window is full, and says when its oldest hit leaves the window.
 */
export function budgetVerdict(record: BudgetRecord): BudgetVerdict {
  if (!record.isBlocked) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, record.timeToBlockExpire) };
}

/** Whether the hit just counted spent the budget (the storage blocks only the hit after it). */
export function budgetSpent(record: BudgetRecord, limit: number): boolean {
  return record.isBlocked || record.totalHits >= limit;
}

/**
 * Sources refused outright until a time: ThrottlerStorage can only count (every question is a
 * hit), so "is this source blocked?" must be answerable without charging it.
 */
export class SourceBlocklist {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxSources = 100_000) {}

  block(source: string, untilMs: number, nowMs: number): void {
    this.until.delete(source);
    this.until.set(source, untilMs);
    if (this.until.size <= this.maxSources) return;
    for (const [blocked, expiresAt] of this.until) {
      if (expiresAt <= nowMs) this.until.delete(blocked);
    }
    // Still full of live blocks: the oldest goes first (a Map iterates in insertion order).
    for (const blocked of this.until.keys()) {
      if (this.until.size <= this.maxSources) break;
      this.until.delete(blocked);
    }
  }

  /** Seconds until the source may try again, or undefined when it is not blocked. */
  retryAfterSeconds(source: string, nowMs: number): number | undefined {
    const untilMs = this.until.get(source);
    if (untilMs === undefined) return undefined;
    if (untilMs <= nowMs) {
      this.until.delete(source);
      return undefined;
    }
    return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
  }
}
