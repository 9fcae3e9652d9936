import {
  breakReasons,
  evaluateTargets,
  memoryPerCallKb,
  MIN_CALLS_FOR_MEMORY_PER_CALL,
  formatStepTable,
  formatSummaryTable,
  phaseErrorCount,
  ratio,
  refusedCount,
  smokeProblems,
  stepVerdict,
} from '../../../bench/support/step-report';
import { emptyLossTotals } from '../../../bench/support/sequence-tracker';
import { baselinePhase, latency, phase, postCall, step } from './bench-report.factory';

describe('step report', () => {
  it('lets a clean step hold', () => {
    expect(breakReasons(phase(), 50)).toEqual([]);
  });

  it('breaks a step on p99 latency beyond the limit in either direction', () => {
    const reasons = breakReasons(phase({ providerToCaller: latency(10, 80) }), 50);
    expect(reasons).toEqual(['provider->caller p99 80.0 ms > 50 ms']);
  });

  it('breaks a step on lost frames, errors, failed calls, or nothing measured', () => {
    const reasons = breakReasons(
      phase({
        callerToProvider: { count: 0, p50: null, p95: null, p99: null, max: null, mean: null },
        lossProviderToCaller: { ...emptyLossTotals(), lost: 3 },
        errors: 2,
        openFailures: 1,
      }),
      50,
    );
    expect(reasons).toEqual(['no caller->provider latency measured', '3 frames lost', '2 errors', '1 calls failed to open']);
  });

  it('says when the bare forwarder broke at the same load (the machine is the limit)', () => {
    const slow = { callerToProvider: latency(5, 80), providerToCaller: latency(5, 70) };
    const reasons = breakReasons(phase(slow), 50, baselinePhase(slow));
    expect(reasons[reasons.length - 1]).toBe('the bare forwarder broke too (p99 80.0 ms): the machine is the limit at this load');
    expect(breakReasons(phase(slow), 50, baselinePhase())).toHaveLength(2);
    expect(breakReasons(phase(), 50, baselinePhase(slow))).toEqual([]);
  });

  it('counts failure counters and incomplete streams as errors, never frame totals', () => {
    expect(phaseErrorCount({ mediaFramesSent: 5000, misroutedFrames: 1, toolErrors: 2, closedByRemote: 1 }, 3)).toBe(7);
    expect(phaseErrorCount({ replyFramesSent: 10 }, 0)).toBe(0);
  });

  it('computes ratios only against a positive base', () => {
    expect(ratio(30, 20)).toBe(1.5);
    expect(ratio(30, 0)).toBeNull();
    expect(ratio(null, 20)).toBeNull();
  });

  it('judges every target at 1000 calls when that step ran', () => {
    const verdicts = evaluateTargets([step(50), step(1000, { ratios: { cpu: 1.4, callerToProviderP99: 2, providerToCallerP99: 2 } })]);
    expect(verdicts.map((verdict) => verdict.met)).toEqual([true, true, true, true, true]);
    expect(verdicts[2].measured).toContain('1.40x per call at 1000 calls');
  });

  it('misses the concurrency targets when the ramp broke before 1000, and judges the rest at the largest step that held', () => {
    const broken = step(500, { broken: true, breakReasons: ['caller->provider p99 80.0 ms > 50 ms'] });
    const held = step(300, {
      ratios: { cpu: 2.5, callerToProviderP99: 2, providerToCallerP99: 2 },
      service: phase({ calls: 300, opened: 300, handoff: latency(4, 20), postCall: postCall({ p95Ms: 1500 }) }),
    });
    const verdicts = evaluateTargets([step(50), held, broken]);
    expect(verdicts.map((verdict) => verdict.met)).toEqual([false, false, false, false, true]);
    expect(verdicts[0].measured).toContain('broke at 500 calls');
    expect(verdicts[3].measured).toContain('at 300 calls');
  });

  it('leaves targets unjudged when nothing measured them', () => {
    expect(evaluateTargets([]).map((verdict) => verdict.met)).toEqual([null, null, null, null, null]);
  });

  it('prints service, baseline and ratio columns, and the verdict', () => {
    const table = formatStepTable(step(200, { broken: true, breakReasons: ['2 frames lost'] }));
    expect(table).toContain('== 200 concurrent calls, 20 s hold: BROKEN: 2 frames lost');
    expect(table).toMatch(/caller->provider p50 \/ p99 ms\s+0\.5 \/ 3\.0\s+0\.5 \/ 3\.0\s+1\.50x p99/);
    expect(table).toMatch(/handoff p50 \/ p99 ms \(n\)\s+2\.0 \/ 8\.0 \(100\)/);
    expect(table).toMatch(/p99 audio only \| with tools \+ transfers\s+2\.0 \/ 2\.0 \| 4\.0 \/ 4\.0/);
  });

  it('prints a baseline-only step without service rows', () => {
    const table = formatStepTable(step(50, { service: null, baseline: baselinePhase() }));
    expect(table).toContain('bare forwarder');
    expect(table).not.toContain('handoff');
  });

  it('passes a smoke run that exercised everything and lost nothing', () => {
    expect(smokeProblems([step(4)])).toEqual([]);
  });

  it('fails a smoke run that lost a frame, measured nothing, or reached no summary', () => {
    expect(smokeProblems([])).toEqual(['no step ran']);
    const lossy = step(4, { service: phase({ lossProviderToCaller: { ...emptyLossTotals(), streams: 4, lost: 2 } }) });
    expect(smokeProblems([lossy])).toEqual(['service: 2 frames lost']);
    const idle = step(4, {
      service: phase({ handoff: latency(0, 0, 0), toolRoundTrip: null, postCall: postCall({ summarised: 0, missing: 4 }) }),
    });
    expect(smokeProblems([idle])).toEqual([
      'service: no handoff measured',
      'service: no tool round trip measured',
      'service: no summary reached Postgres',
    ]);
  });

  it('prints one summary row per step', () => {
    const lines = formatSummaryTable([step(50), step(200)]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^\| 50 \| 0\.5 \/ 3\.0 \(0\.5 \/ 3\.0\)/);
  });

  describe('calls refused by admission control', () => {
    const refusedPhase = (carried: number, atWebhook: number, atStream: number) =>
      phase({ calls: carried + atWebhook + atStream, opened: carried, refused: { atWebhook, atStream } });
    const atCapacity = (calls: number, carried: number) =>
      step(calls, { service: refusedPhase(carried, calls - carried - 10, 10), atCapacity: true });

    it('are not a reason to break a step: a refused call carries no audio and loses no frame', () => {
      expect(breakReasons(refusedPhase(300, 150, 50), 50)).toEqual([]);
      expect(refusedCount(refusedPhase(300, 150, 50))).toBe(200);
      expect(refusedCount(phase())).toBe(0);
    });

    it('make a step "at capacity", held or broken', () => {
      expect(stepVerdict(atCapacity(500, 320))).toBe('held, at capacity (180 calls refused, 320 carried)');
      expect(stepVerdict({ ...atCapacity(500, 320), broken: true, breakReasons: ['caller->provider p99 80.0 ms > 50 ms'] })).toBe(
        'BROKEN: caller->provider p99 80.0 ms > 50 ms; at capacity (180 calls refused, 320 carried)',
      );
      expect(formatStepTable(atCapacity(500, 320))).toMatch(
        /calls carried \/ refused \/ errors\s+320\/500 \/ 180 \(webhook 170, stream 10\) \/ 0/,
      );
      expect(formatSummaryTable([atCapacity(500, 320)])).toContain('| at capacity: 320 carried, 180 refused |');
    });

    it('miss the concurrency target when 1000 calls were offered but not all carried', () => {
      const verdicts = evaluateTargets([atCapacity(1000, 640)]);
      expect(verdicts[0].met).toBe(false);
      expect(verdicts[0].measured).toContain('640/1000 calls carried, 360 refused (at capacity)');
      expect(verdicts[2].measured).toContain('at 1000 calls (640 carried)');
    });

    it('fail a smoke run (a few calls must all be carried)', () => {
      expect(smokeProblems([step(4, { service: refusedPhase(3, 1, 0) })])).toEqual(['service: 1 calls refused']);
    });
  });

  it('shows how the relay CPU splits over the processes of a cluster', () => {
    const shares = [
      { pid: 100, cpuPercent: 0.4, rssKbMax: 60_000 },
      { pid: 101, cpuPercent: 48.2, rssKbMax: 150_000 },
      { pid: 102, cpuPercent: 51.3, rssKbMax: 150_000 },
    ];
    const table = formatStepTable(
      step(300, { service: phase({ calls: 300, opened: 300, resources: { ...phase().resources, processes: shares } }) }),
    );
    expect(table).toMatch(/per process \(pid: CPU %\)\s+100: 0, 101: 48, 102: 51/);
  });

  describe('memory per call', () => {
    it('divides the growth over idle by the calls carried', () => {
      expect(memoryPerCallKb(150_000, 100_000, 200)).toBe(250);
    });

    it('gives no figure for a handful of calls, where GC timing is all it would show', () => {
      expect(memoryPerCallKb(90_000, 100_000, 4)).toBeNull();
      expect(memoryPerCallKb(101_000, 100_000, MIN_CALLS_FOR_MEMORY_PER_CALL - 1)).toBeNull();
    });

    it('never reports a negative figure when the heap shrank during the step', () => {
      expect(memoryPerCallKb(99_000, 100_000, 100)).toBe(0);
    });

    it('gives no figure without both samples', () => {
      expect(memoryPerCallKb(null, 100_000, 100)).toBeNull();
      expect(memoryPerCallKb(150_000, null, 100)).toBeNull();
    });
  });
});
