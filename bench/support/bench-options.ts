export interface BenchOptions {
  steps: number[];
  holdSeconds: number;
  rampRate: number;
  endRate: number;
  toolIntervalSeconds: number;
  transfersPerCall: number;
  tickMs: number;
  baseline: boolean;
  /** Only the harness and the bare forwarder (no service, no database): what the machine can carry at all. */
  baselineOnly: boolean;
  /** A step whose p99 added latency (either way) exceeds this, or that loses frames or has errors, ends the ramp. */
  breakP99Ms: number;
  summaryTimeoutSeconds: number;
  /** Concurrency of the step(s) whose hold is CPU-profiled in the service; empty: none. */
  profileSteps: number[];
  /** WEB_CONCURRENCY of the service: 1 = one process, N > 1 = a cluster primary and N relay workers. */
  serviceWorkers: number;
  /** Processes of the bare forwarder (same shape as the service: a primary and N workers); null: as many as the service. */
  forwarderWorkers: number | null;
  /** ADMISSION_MAX_EVENT_LOOP_LAG_MS of the service; 0 (the bench's default) turns lag shedding off for the raw ramp. */
  admissionLagMs: number;
  /** MAX_LIVE_CALLS of the service, per process; 0: no limit. */
  maxLiveCalls: number;
  /** Run every step even after one broke (e.g. to see what admission control changes past saturation). */
  keepGoing: boolean;
  smoke: boolean;
  keepDatabase: boolean;
  help: boolean;
}

export const TARGETS = {
  concurrentCalls: 1000,
  relayP99Ms: 10,
  cpuRatioToBaseline: 1.5,
  handoffP99Ms: 15,
  summaryP95Ms: 2000,
  summaryEndRate: 50,
} as const;

export const DEFAULT_OPTIONS: BenchOptions = {
  steps: [50, 200, 300, 400, 500, 700, 1000, 1500, 2000],
  holdSeconds: 20,
  rampRate: 100,
  endRate: TARGETS.summaryEndRate,
  toolIntervalSeconds: 10,
  transfersPerCall: 1,
  tickMs: 2,
  baseline: true,
  baselineOnly: false,
  breakP99Ms: 50,
  summaryTimeoutSeconds: 60,
  profileSteps: [],
  serviceWorkers: 1,
  forwarderWorkers: null,
  admissionLagMs: 0,
  maxLiveCalls: 0,
  keepGoing: false,
  smoke: false,
  keepDatabase: false,
  help: false,
};

/** What --smoke changes: a few calls for a few seconds, every piece still exercised. */
export const SMOKE_OPTIONS: Partial<BenchOptions> = {
  steps: [4],
  holdSeconds: 4,
  rampRate: 20,
  toolIntervalSeconds: 1,
  transfersPerCall: 1,
  summaryTimeoutSeconds: 30,
};

export const USAGE = `npm run bench -- [options]

  --steps 50,200,500     concurrent calls per step (default ${DEFAULT_OPTIONS.steps.join(',')}); the ramp stops at the first step that breaks
  --hold 20              seconds each step holds its calls after ramp-up: first half audio only, second half
                         with tool calls and transfers (latency over both, relay CPU from the first half)
  --ramp-rate 100        calls started per second during ramp-up
  --end-rate 50          calls ended per second at the end of a step (post-call pipeline measurement)
  --tool-interval 10     seconds between lookup_order tool calls per call in the second half of the hold
  --transfers 1          transfers per call in the second half of the hold (triage -> billing, then back)
  --tick-ms 2            pacer tick of the load generator and the provider peer
  --break-p99 50         p99 added latency (ms) beyond which a step counts as broken
  --summary-timeout 60   seconds to wait for post-call summaries after the last call ended
  --profile-step 1000    CPU-profile the service during that step's hold (repeatable, comma list; every worker)
  --service-workers 1    WEB_CONCURRENCY of the service: N > 1 runs a cluster primary and N relay workers;
                         CPU and RSS are summed over the whole process tree
  --forwarder-workers N  processes of the bare forwarder (default: as many as the service)
  --admission-lag-ms 0   ADMISSION_MAX_EVENT_LOOP_LAG_MS of the service (default 0 = off: the raw ramp;
                         the service's own default is 30); refused calls are counted, not lost
  --max-live-calls 0     MAX_LIVE_CALLS of the service, per process (0 = no limit)
  --keep-going           run every step even after one broke
  --no-baseline          skip the bare-forwarder baseline
  --baseline-only        only the bare forwarder (no service, no database): the harness's own limit
  --keep-db              keep the bench database afterwards
  --smoke                a few calls for a few seconds; exits non-zero if frames are lost or nothing was measured
  --help`;

export class BenchOptionsError extends Error {}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const options: BenchOptions = { ...DEFAULT_OPTIONS, ...(smoke ? SMOKE_OPTIONS : {}), smoke };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = (): string => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new BenchOptionsError(`${flag} needs a value`);
      index++;
      return next;
    };
    switch (flag) {
      case '--smoke':
        break;
      case '--steps':
        options.steps = positiveIntegers(flag, value());
        break;
      case '--hold':
        options.holdSeconds = positiveNumber(flag, value());
        break;
      case '--ramp-rate':
        options.rampRate = positiveNumber(flag, value());
        break;
      case '--end-rate':
        options.endRate = positiveNumber(flag, value());
        break;
      case '--tool-interval':
        options.toolIntervalSeconds = positiveNumber(flag, value());
        break;
      case '--transfers':
        options.transfersPerCall = nonNegativeInteger(flag, value());
        break;
      case '--tick-ms':
        options.tickMs = positiveNumber(flag, value());
        if (20 % options.tickMs !== 0) throw new BenchOptionsError('--tick-ms must divide 20');
        break;
      case '--break-p99':
        options.breakP99Ms = positiveNumber(flag, value());
        break;
      case '--summary-timeout':
        options.summaryTimeoutSeconds = positiveNumber(flag, value());
        break;
      case '--profile-step':
        options.profileSteps = [...options.profileSteps, ...positiveIntegers(flag, value())];
        break;
      case '--service-workers':
        options.serviceWorkers = boundedInteger(flag, value(), 1, 64);
        break;
      case '--forwarder-workers':
        options.forwarderWorkers = boundedInteger(flag, value(), 1, 64);
        break;
      case '--admission-lag-ms':
        options.admissionLagMs = boundedInteger(flag, value(), 0, 10_000);
        break;
      case '--max-live-calls':
        options.maxLiveCalls = boundedInteger(flag, value(), 0, 100_000);
        break;
      case '--keep-going':
        options.keepGoing = true;
        break;
      case '--no-baseline':
        options.baseline = false;
        break;
      case '--baseline-only':
        options.baselineOnly = true;
        break;
      case '--keep-db':
        options.keepDatabase = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new BenchOptionsError(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  if (options.baselineOnly && !options.baseline) throw new BenchOptionsError('--baseline-only and --no-baseline leave nothing to run');
  return options;
}

function positiveNumber(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new BenchOptionsError(`${flag} must be a positive number, got ${raw}`);
  return value;
}

function nonNegativeInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new BenchOptionsError(`${flag} must be a whole number, got ${raw}`);
  return value;
}

function boundedInteger(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new BenchOptionsError(`${flag} must be a whole number from ${min} to ${max}, got ${raw}`);
  return value;
}

/** Processes the bare forwarder runs: as many as the service unless told. */
export function forwarderProcesses(options: Pick<BenchOptions, 'serviceWorkers' | 'forwarderWorkers'>): number {
  return options.forwarderWorkers ?? options.serviceWorkers;
}

function positiveIntegers(flag: string, raw: string): number[] {
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value <= 0)) {
    throw new BenchOptionsError(`${flag} must be a comma list of positive whole numbers, got ${raw}`);
  }
  return values;
}
