import { FramePacer } from '../../../bench/support/frame-pacer';

describe('frame pacer', () => {
  // A hand-driven clock: runDue() is called directly, the pacer's own timer never matters.
  const setup = (maxBacklogPeriods = 2) => {
    let now = 1000;
    const sent: string[] = [];
    const pacer = new FramePacer<string>(
      20,
      5,
      (item) => sent.push(`${now}:${item}`),
      maxBacklogPeriods,
      () => now,
    );
    return {
      pacer,
      sent,
      advanceTo: (at: number) => {
        now = at;
        pacer.runDue();
      },
    };
  };

  afterEach(() => jest.useRealTimers());

  it('sends each stream once per frame period, at its own phase', () => {
    jest.useFakeTimers();
    const { pacer, sent, advanceTo } = setup();
    for (const item of ['a', 'b', 'c', 'd']) pacer.add(item);
    advanceTo(1000);
    expect(sent).toEqual(['1000:a']);
    advanceTo(1019);
    expect(sent).toEqual(['1000:a', '1019:b', '1019:c', '1019:d']);
    advanceTo(1020);
    expect(sent.slice(4)).toEqual(['1020:a']);
    pacer.stop();
  });

  it('stops sending for a removed stream', () => {
    jest.useFakeTimers();
    const { pacer, sent, advanceTo } = setup();
    pacer.add('a');
    advanceTo(1000);
    pacer.remove('a');
    advanceTo(1100);
    expect(sent).toEqual(['1000:a']);
    expect(pacer.size).toBe(0);
    pacer.stop();
  });

  it('catches up a short stall (late, not lost) and records the lag', () => {
    jest.useFakeTimers();
    const { pacer, sent, advanceTo } = setup();
    pacer.add('a');
    advanceTo(1000);
    advanceTo(1030);
    expect(sent).toEqual(['1000:a', '1030:a']);
    // The oldest slot that ran late was due at 1005.
    expect(pacer.snapshot().maxLagMs).toBe(25);
    expect(pacer.snapshot().lateSlots).toBe(1);
    pacer.stop();
  });

  it('skips frames it is too far behind to send, and counts them', () => {
    jest.useFakeTimers();
    const { pacer, sent, advanceTo } = setup(1);
    pacer.add('a');
    advanceTo(1000);
    advanceTo(1100); // 5 periods late, backlog limit 1 period
    expect(sent).toEqual(['1000:a', '1100:a']);
    expect(pacer.snapshot().skippedFrames).toBe(4);
    pacer.resetStats();
    expect(pacer.snapshot()).toEqual({ slots: 0, lateSlots: 0, skippedFrames: 0, maxLagMs: 0 });
    pacer.stop();
  });
});
