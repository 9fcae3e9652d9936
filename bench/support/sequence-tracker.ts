/*
 * Loss and reordering of one direction of one call, from the sequence numbers inside the
 * payloads. Counting starts at the first frame received (or at `countFrom`), so frames a
 * relay drops by design before the provider session is ready are reported apart, as setup.
 */

export interface StreamOutcome {
  received: number;
  expected: number;
  lost: number;
  reordered: number;
  /** Frames before the first one received (not counted as lost unless countFrom says so). */
  beforeFirst: number;
}

export class SequenceTracker {
  private first = -1;
  private highest = -1;
  private receivedCount = 0;
  private reorderedCount = 0;

  /** countFrom = 0 makes every frame from the very first one count (no setup allowance). */
  constructor(private readonly countFrom?: number) {}

  get received(): number {
    return this.receivedCount;
  }

  get reordered(): number {
    return this.reorderedCount;
  }

  observe(sequence: number): void {
    if (this.first < 0) this.first = sequence;
    this.receivedCount++;
    if (sequence <= this.highest) this.reorderedCount++;
    else this.highest = sequence;
  }

  /** Gaps so far in a stream that is still running (a late frame may still fill one). */
  gapsSoFar(): number {
    if (this.highest < 0) return 0;
    return Math.max(0, this.highest - this.start() + 1 - this.receivedCount);
  }

  /** The sender said its last frame was `lastSequence`. */
  finish(lastSequence: number): StreamOutcome {
    const start = this.highest < 0 && this.countFrom === undefined ? lastSequence + 1 : this.start();
    const expected = Math.max(0, lastSequence - start + 1);
    return {
      received: this.receivedCount,
      expected,
      lost: Math.max(0, expected - this.receivedCount),
      reordered: this.reorderedCount,
      beforeFirst: this.first < 0 ? 0 : this.first,
    };
  }

  private start(): number {
    return this.countFrom ?? this.first;
  }
}

export interface LossTotals {
  streams: number;
  received: number;
  expected: number;
  lost: number;
  reordered: number;
  beforeFirst: number;
  /** Streams that ended without the sender's last frame: their loss is unknown. */
  incomplete: number;
}

export function emptyLossTotals(): LossTotals {
  return { streams: 0, received: 0, expected: 0, lost: 0, reordered: 0, beforeFirst: 0, incomplete: 0 };
}

export function addOutcome(totals: LossTotals, outcome: StreamOutcome): void {
  totals.streams++;
  totals.received += outcome.received;
  totals.expected += outcome.expected;
  totals.lost += outcome.lost;
  totals.reordered += outcome.reordered;
  totals.beforeFirst += outcome.beforeFirst;
}

export function mergeLossTotals(a: LossTotals, b: LossTotals): LossTotals {
  return {
    streams: a.streams + b.streams,
    received: a.received + b.received,
    expected: a.expected + b.expected,
    lost: a.lost + b.lost,
    reordered: a.reordered + b.reordered,
    beforeFirst: a.beforeFirst + b.beforeFirst,
    incomplete: a.incomplete + b.incomplete,
  };
}
