import { BenchOptionsError, DEFAULT_OPTIONS, forwarderProcesses, parseBenchOptions } from '../../../bench/support/bench-options';

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
    expect(DEFAULT_OPTIONS).toMatchObject({ serviceWorkers: 1, forwarderWorkers: null, admissionLagMs: 0, maxLiveCalls: 0, keepGoing: false });
  });

  it('reads service workers, admission settings and --keep-going; the forwarder follows the service unless told', () => {
    const options = parseBenchOptions(['--service-workers', '2', '--admission-lag-ms', '100', '--max-live-calls', '250', '--keep-going']);
    expect(options).toMatchObject({ serviceWorkers: 2, admissionLagMs: 100, maxLiveCalls: 250, keepGoing: true });
    expect(forwarderProcesses(options)).toBe(2);
    expect(forwarderProcesses(parseBenchOptions(['--service-workers', '2', '--forwarder-workers', '1']))).toBe(1);
  });

  it.each([
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
