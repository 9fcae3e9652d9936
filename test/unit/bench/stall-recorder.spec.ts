import { LatencyHistogram } from '../../../bench/support/latency-histogram';
import { StallRecorder } from '../../../bench/support/stall-recorder';

describe('stall recorder', () => {
  const start = 1_000_000;

  it("keeps the latest frame and each call's longest wait between frames, per second too", () => {
    const recorder = new StallRecorder();
    recorder.begin(start);
    const a = recorder.open(1);
    const b = recorder.open(2);
    for (let frame = 0; frame < 10; frame++) {
      recorder.observe(a, 2, start + frame * 20);
      recorder.observe(b, 3, start + frame * 20 + 5);
    }
    // Call 2 stalls: 130 ms without a frame, and the frame that ends it is 110 ms late.
    recorder.observe(b, 110, start + 1_315);
    recorder.observe(a, 2, start + 1_300);
    const snapshot = recorder.snapshot();
    expect(snapshot.worstLatency).toEqual({ ms: 110, at: start + 1_315, callIndex: 2 });
    expect(snapshot.worstGap).toEqual({ ms: 1_130, at: start + 1_315, callIndex: 2 });
    expect(snapshot.worstCalls.map((call) => call.callIndex)).toEqual([2, 1]);
    expect(LatencyHistogram.fromJSON(snapshot.perCallMaxGap).count).toBe(2);
    expect(snapshot.perSecondMaxLatencyMs).toEqual([3, 110]);
    expect(snapshot.perSecondMaxGapMs).toEqual([20, 1_130]);
  });

  it('keeps the longest wait of calls that ended in the window, and stops counting them', () => {
    const recorder = new StallRecorder();
    recorder.begin(start);
    const call = recorder.open(5);
    recorder.observe(call, 1, start);
    recorder.observe(call, 1, start + 60);
    recorder.close(call);
    recorder.observe(call, 1, start + 500);
    recorder.close(call);
    expect(recorder.snapshot().worstCalls).toEqual([{ ms: 60, at: start + 60, callIndex: 5 }]);
  });

  it('starts every figure again at a new window but keeps following live calls', () => {
    const recorder = new StallRecorder();
    const call = recorder.open(3);
    recorder.observe(call, 500, start - 100);
    recorder.begin(start);
    expect(recorder.snapshot()).toMatchObject({
      windowStartAt: start,
      worstLatency: null,
      worstGap: null,
      worstCalls: [],
      perSecondMaxLatencyMs: [],
    });
    // The wait across the window's start counts: the call was live through it.
    recorder.observe(call, 4, start + 40);
    expect(recorder.snapshot().worstGap).toEqual({ ms: 140, at: start + 40, callIndex: 3 });
  });

  it('records nothing before its first window', () => {
    const recorder = new StallRecorder();
    const call = recorder.open(1);
    recorder.observe(call, 900, start);
    recorder.observe(call, 900, start + 20);
    expect(recorder.snapshot()).toMatchObject({ windowStartAt: 0, worstLatency: null, worstGap: null });
  });
});
