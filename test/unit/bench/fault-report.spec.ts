import { directionFigures, faultVerdict, formatFaultReport, lateSeconds, nearFault } from '../../../bench/support/fault-report';
import { LatencyHistogram } from '../../../bench/support/latency-histogram';
import { emptyLossTotals } from '../../../bench/support/sequence-tracker';
import { StallSnapshot } from '../../../bench/support/stall-recorder';
import { direction, faultFigures, latency } from './bench-report.factory';

describe('fault verdict', () => {
  it('passes a run where no frame was late beyond the limit, none lost, and every call placed was summarised', () => {
    expect(faultVerdict(faultFigures())).toEqual({ passed: true, reasons: [], notes: [] });
  });

  it('fails on one late frame in either direction, and says where it fell against the faults', () => {
    const verdict = faultVerdict(faultFigures({ providerToCaller: direction({ maxMs: 180, worstAtSeconds: 36.2, worstCall: 12 }) }));
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual([
      'provider->caller: a frame arrived 180.0 ms late (limit 100 ms), at 36.2 s into the hold on call 12, during the Redis blip (1.2 s into it)',
    ]);
    const callerSide = faultVerdict(faultFigures({ callerToProvider: direction({ maxMs: 101, worstAtSeconds: 15.3 }) }));
    expect(callerSide.reasons[0]).toContain('0.30 s after the big tool argument was sent');
  });

  it('judges the limit inclusively, and fails when nothing was measured', () => {
    expect(faultVerdict(faultFigures({ callerToProvider: direction({ maxMs: 100 }) })).passed).toBe(true);
    expect(faultVerdict(faultFigures({ callerToProvider: direction({ maxMs: null, frames: 0 }) })).reasons).toEqual([
      'no caller->provider audio measured',
    ]);
  });

  it('fails on lost or reordered frames, broken streams and calls not carried', () => {
    const verdict = faultVerdict(
      faultFigures({
        callerToProvider: direction({ lost: 3, incomplete: 1 }),
        providerToCaller: direction({ reordered: 2 }),
        audioErrors: { closedByRemote: 1 },
        callsNotCarried: 2,
      }),
    );
    expect(verdict.reasons).toEqual([
      'caller->provider: 3 frames lost',
      'caller->provider: 1 streams ended without their last frame',
      'provider->caller: 2 frames reordered',
      'calls broken: closedByRemote 1',
      '2 of 100 calls were not carried (failed to open or refused)',
    ]);
  });

  it('fails when a call placed has no summary, naming those that hung up during the blip', () => {
    const verdict = faultVerdict(
      faultFigures({
        summaries: {
          expected: 100,
          written: 97,
          missingSample: ['CA1', 'CA2', 'CA3'],
          endedDuringBlip: 10,
          writtenOfEndedDuringBlip: 8,
          timeoutSeconds: 60,
          p95Ms: 900,
          maxMs: null,
        },
      }),
    );
    expect(verdict.reasons).toEqual([
      'summaries: 3 of 100 calls placed have none in Postgres 60 s after their end (2 of the 10 that hung up during the blip), e.g. CA1, CA2, CA3',
    ]);
    const probeFailed = faultVerdict(
      faultFigures({ summaries: { ...faultFigures().summaries, error: 'could not read call_summaries: boom' } }),
    );
    expect(probeFailed.reasons).toEqual(['summaries: could not read call_summaries: boom']);
  });

  it('fails when an asked-for fault did not happen', () => {
    const blip = faultFigures().redisBlip!;
    const bigToolCall = faultFigures().bigToolCall!;
    expect(
      faultVerdict(faultFigures({ redisBlip: { ...blip, startedAtSeconds: null, lastedSeconds: null, error: 'no blip proxy' } })).reasons,
    ).toEqual(['the Redis blip did not happen (no blip proxy)']);
    expect(faultVerdict(faultFigures({ redisBlip: { ...blip, lastedSeconds: null } })).reasons).toEqual([
      'Redis never came back through the proxy',
    ]);
    expect(
      faultVerdict(faultFigures({ bigToolCall: { ...bigToolCall, sent: false, reason: 'no service call was streaming' } })).reasons,
    ).toEqual(['the big tool argument was not sent (no service call was streaming)']);
    expect(faultVerdict(faultFigures({ bigToolCall: { ...bigToolCall, answered: false } })).reasons).toEqual([
      'the big tool call (100000 characters) was never answered',
    ]);
  });

  it('notes, without failing, other errors, a sender pause and a machine that breaks the limit on its own', () => {
    const verdict = faultVerdict(
      faultFigures({
        otherErrors: { toolErrors: 2 },
        providerToCaller: direction({ maxGapMs: 150, maxGapAtSeconds: 20 }),
        baselineMaxMs: { callerToProvider: 130, providerToCaller: 20 },
      }),
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.notes).toHaveLength(3);
    expect(verdict.notes[0]).toContain('waited 150.0 ms between two frames at 20.0 s');
    expect(verdict.notes[1]).toBe('other failures (not judged): toolErrors 2');
    expect(verdict.notes[2]).toContain('the bare forwarder, with no fault at all, had a frame 130.0 ms late');
  });

  it('judges without a blip or a big argument when only one fault was asked for', () => {
    expect(faultVerdict(faultFigures({ redisBlip: null })).passed).toBe(true);
    expect(
      faultVerdict(faultFigures({ bigToolCall: null, providerToCaller: direction({ maxMs: 150, worstAtSeconds: 43 }) })).reasons[0],
    ).toContain('3.0 s after the Redis blip ended');
  });
});

describe('fault timing', () => {
  it('places a moment against the blip and the big argument', () => {
    const figures = faultFigures();
    expect(nearFault(34.5, figures)).toBe('0.5 s before the Redis blip');
    expect(nearFault(37, figures)).toBe('during the Redis blip (2.0 s into it)');
    expect(nearFault(42, figures)).toBe('2.0 s after the Redis blip ended');
    expect(nearFault(5, figures)).toBe('away from the faults (Redis blip at 35.0-40.0 s, big argument at 15.0 s)');
    expect(nearFault(null, figures)).toBe('at an unknown time');
    expect(nearFault(5, { redisBlip: null, bigToolCall: null })).toBe('away from the faults');
  });

  it('lists the seconds whose latest frame passed a threshold', () => {
    const figures = faultFigures({
      callerToProvider: direction({ perSecondMaxLatencyMs: [5, 60, 4] }),
      providerToCaller: direction({ perSecondMaxLatencyMs: [5, 7, 4, 70] }),
    });
    expect(lateSeconds(figures, 50)).toEqual([
      { second: 1, callerToProviderMs: 60, providerToCallerMs: 7 },
      { second: 3, callerToProviderMs: 0, providerToCallerMs: 70 },
    ]);
  });

  it('turns a stall record into seconds of the hold', () => {
    const gaps = new LatencyHistogram();
    for (const ms of [21, 22, 150]) gaps.recordMs(ms);
    const stalls: StallSnapshot = {
      windowStartAt: 1_000_000 + 1_200,
      worstLatency: { ms: 130, at: 1_000_000 + 36_200, callIndex: 4 },
      worstGap: { ms: 150, at: 1_000_000 + 36_250, callIndex: 4 },
      perCallMaxGap: gaps.toJSON(),
      worstCalls: [],
      perSecondMaxLatencyMs: [3, 130],
      perSecondMaxGapMs: [21, 150],
    };
    const figures = directionFigures(latency(1, 9), stalls, { ...emptyLossTotals(), lost: 2 }, 1_000_000);
    expect(figures).toMatchObject({
      maxMs: 9,
      p99Ms: 9,
      worstAtSeconds: 36.2,
      worstCall: 4,
      maxGapMs: 150,
      maxGapAtSeconds: 36.25,
      maxGapCall: 4,
      lost: 2,
    });
    expect(figures.perCallMaxGapP99Ms).toBeCloseTo(150, 0);
    // The recorder's window opened 1.2 s after the hold: its second 0 is the hold's second 1.
    expect(figures.perSecondMaxLatencyMs).toEqual([0, 3, 130]);
  });
});

describe('fault report text', () => {
  it('prints the figures and the verdict', () => {
    const figures = faultFigures({
      providerToCaller: direction({ maxMs: 180, worstAtSeconds: 36.2, perSecondMaxLatencyMs: [0, 0, 0, 180] }),
    });
    const text = formatFaultReport(figures, faultVerdict(figures));
    expect(text.split('\n')[0]).toBe(
      '== Fault run, 100 calls, 60 s hold (Redis blip 35:5; one 100000-character tool argument at 15.0 s; 10 calls hang up during the blip): FAIL',
    );
    expect(text).toContain('summaries: 100/100 of the calls placed written within 60 s (hung up during the blip: 10/10)');
    expect(text).toContain(
      'Redis blip: began at 35.0 s into the hold, lasted 5.00 s, 7 connections dropped; the service reconnected 180 ms after it ended',
    );
    expect(text).toContain(
      'big tool argument: sent at 15.0 s into the hold on call 99, order_id of 100000 characters (100070 bytes on the wire); answered in 40.0 ms (order_not_found, 100200 characters)',
    );
    expect(text).toContain('seconds with a frame over 50 ms late (c->p / p->c max ms): 3 s: 0.0 / 180.0');
    expect(text).toContain('  FAIL: provider->caller: a frame arrived 180.0 ms late');
  });
});
