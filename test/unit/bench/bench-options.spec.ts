import {
  BenchOptionsError,
  bigToolAtSeconds,
  DEFAULT_OPTIONS,
  faultMode,
  forwarderProcesses,
  parseBenchOptions,
} from '../../../bench/support/bench-options';

describe('bench options', () => {
  it('defaults to the full ramp', () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads steps, hold and rates', () => {
    const options = parseBenchOptions(['--steps', '50,200', '--hold', '10', '--ramp-rate', '40', '--end-rate', '25', '--no-baseline']);
    expect(options).toMatchObject({ steps: [50, 200], holdSeconds: 10, rampRate: 40, endRate: 25, baseline: false });
  });

  it('makes --smoke a few calls for a few seconds, still overridable', () => {
    const smoke = parseBenchOptions(['--smoke']);
    expect(smoke.smoke).toBe(true);
    expect(smoke.steps.every((calls) => calls <= 10)).toBe(true);
    expect(smoke.holdSeconds).toBeLessThanOrEqual(5);
    expect(parseBenchOptions(['--smoke', '--hold', '2']).holdSeconds).toBe(2);
  });

  it('collects profile steps', () => {
    expect(parseBenchOptions(['--profile-step', '200', '--profile-step', '300,500']).profileSteps).toEqual([200, 300, 500]);
  });

  it('runs the service as one process with admission off unless told', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({
      serviceWorkers: 1,
      forwarderWorkers: null,
      admissionLagMs: 0,
      maxLiveCalls: 0,
      keepGoing: false,
    });
  });

  it('reads service workers, admission settings and --keep-going; the forwarder follows the service unless told', () => {
    const options = parseBenchOptions(['--service-workers', '2', '--admission-lag-ms', '100', '--max-live-calls', '250', '--keep-going']);
    expect(options).toMatchObject({ serviceWorkers: 2, admissionLagMs: 100, maxLiveCalls: 250, keepGoing: true });
    expect(forwarderProcesses(options)).toBe(2);
    expect(forwarderProcesses(parseBenchOptions(['--service-workers', '2', '--forwarder-workers', '1']))).toBe(1);
  });

  it('injects no fault unless told', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ faults: false, redisBlip: null, bigToolArgumentBytes: null, endDuringBlip: 0 });
    expect(faultMode(DEFAULT_OPTIONS)).toBe(false);
    expect(faultMode(parseBenchOptions(['--smoke']))).toBe(false);
  });

  it("makes --faults the issue's load run: 100 calls for 60 s, a Redis blip, one 100 KB tool argument", () => {
    const options = parseBenchOptions(['--faults']);
    expect(options).toMatchObject({
      faults: true,
      steps: [100],
      holdSeconds: 60,
      redisBlip: { atSeconds: 35, seconds: 5 },
      endDuringBlip: 10,
      bigToolArgumentBytes: 100_000,
      bigToolAtSeconds: 15,
      stallLimitMs: 100,
      baseline: true,
    });
    expect(faultMode(options)).toBe(true);
  });

  it('lets every part of --faults be overridden, wherever the flag stands', () => {
    const options = parseBenchOptions([
      '--hold',
      '10',
      '--faults',
      '--steps',
      '10',
      '--redis-blip',
      '4:2',
      '--big-tool-at',
      '2',
      '--end-during-blip',
      '0',
      '--stall-limit',
      '80',
    ]);
    expect(options).toMatchObject({
      steps: [10],
      holdSeconds: 10,
      redisBlip: { atSeconds: 4, seconds: 2 },
      bigToolAtSeconds: 2,
      endDuringBlip: 0,
      stallLimitMs: 80,
    });
  });

  it('reads one fault alone, which is enough for the fault verdict', () => {
    const blip = parseBenchOptions(['--redis-blip', '20:5', '--end-during-blip', '3']);
    expect(blip).toMatchObject({
      redisBlip: { atSeconds: 20, seconds: 5 },
      endDuringBlip: 3,
      bigToolArgumentBytes: null,
      steps: DEFAULT_OPTIONS.steps,
    });
    expect(faultMode(blip)).toBe(true);
    expect(parseBenchOptions(['--redis-blip', '2.5:0.5']).redisBlip).toEqual({ atSeconds: 2.5, seconds: 0.5 });
    const big = parseBenchOptions(['--big-tool-argument', '100000', '--hold', '10']);
    expect(faultMode(big)).toBe(true);
    expect(bigToolAtSeconds(big)).toBe(2.5);
  });

  it.each([
    [['--redis-blip', '20']],
    [['--redis-blip', '20:0']],
    [['--redis-blip', '-1:5']],
    [['--redis-blip', 'a:b']],
    [['--end-during-blip', '3']],
    [['--big-tool-at', '5']],
    [['--big-tool-argument', '0']],
    [['--big-tool-argument', '1000', '--big-tool-at', '25']],
    [['--stall-limit', '0']],
    [['--smoke', '--faults']],
    [['--faults', '--baseline-only']],
    [['--service-workers', '0']],
    [['--service-workers', '1.5']],
    [['--admission-lag-ms', '-1']],
    [['--steps', '50,abc']],
    [['--hold', '0']],
    [['--hold']],
    [['--tick-ms', '3']],
    [['--transfers', '-1']],
    [['--frobnicate']],
    [['--baseline-only', '--no-baseline']],
  ])('refuses %j', (argv) => {
    expect(() => parseBenchOptions(argv)).toThrow(BenchOptionsError);
  });
});
