import { addOutcome, emptyLossTotals, mergeLossTotals, SequenceTracker } from '../../../bench/support/sequence-tracker';

describe('sequence tracker', () => {
  const observeAll = (tracker: SequenceTracker, sequences: number[]): SequenceTracker => {
    for (const sequence of sequences) tracker.observe(sequence);
    return tracker;
  };

  it('reports a complete in-order stream as nothing lost or reordered', () => {
    expect(observeAll(new SequenceTracker(0), [0, 1, 2, 3]).finish(3)).toEqual({
      received: 4,
      expected: 4,
      lost: 0,
      reordered: 0,
      beforeFirst: 0,
    });
  });

  it('counts gaps as lost, including frames missing at the end', () => {
    const outcome = observeAll(new SequenceTracker(0), [0, 2, 3]).finish(5);
    expect(outcome.lost).toBe(3);
    expect(outcome.expected).toBe(6);
  });

  it('counts a late frame as reordered, not lost', () => {
    const tracker = observeAll(new SequenceTracker(0), [0, 2, 1, 3]);
    expect(tracker.reordered).toBe(1);
    expect(tracker.finish(3)).toMatchObject({ lost: 0, reordered: 1 });
  });

  it('starts counting at the first frame received unless told otherwise (setup frames reported apart)', () => {
    const outcome = observeAll(new SequenceTracker(), [5, 6, 7]).finish(7);
    expect(outcome).toMatchObject({ lost: 0, expected: 3, beforeFirst: 5 });
    expect(observeAll(new SequenceTracker(0), [5, 6, 7]).finish(7).lost).toBe(5);
  });

  it('treats a stream with nothing received as all lost when counting from zero', () => {
    expect(new SequenceTracker(0).finish(9)).toMatchObject({ received: 0, lost: 10 });
  });

  it('reports gaps in a live stream without waiting for its end', () => {
    const tracker = observeAll(new SequenceTracker(), [10, 11, 14]);
    expect(tracker.gapsSoFar()).toBe(2);
    tracker.observe(12);
    expect(tracker.gapsSoFar()).toBe(1);
  });

  it('adds outcomes and merges totals', () => {
    const totals = emptyLossTotals();
    addOutcome(totals, { received: 3, expected: 4, lost: 1, reordered: 0, beforeFirst: 2 });
    addOutcome(totals, { received: 5, expected: 5, lost: 0, reordered: 2, beforeFirst: 0 });
    const merged = mergeLossTotals(totals, { ...emptyLossTotals(), incomplete: 1, streams: 1 });
    expect(merged).toEqual({ streams: 3, received: 8, expected: 9, lost: 1, reordered: 2, beforeFirst: 2, incomplete: 1 });
  });
});
