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
  /** The fault-injection preset (--faults): one 100-call step, a Redis blip, one big tool argument, the fault verdict. */
  faults: boolean;
  /** Cut the service's Redis (through a proxy in the bench) during the service's hold; null: never. */
  redisBlip: RedisBlip | null;
  /** Characters of the one lookup_order argument sent on one call during the service's hold; null: none. */
  bigToolArgumentBytes: number | null;
  /** Seconds into the hold the big tool argument is sent; null: a quarter of the way in. */
  bigToolAtSeconds: number | null;
  /** Calls that hang up one second into the Redis blip (their summaries must still arrive). */
  endDuringBlip: number;
  /** Fault verdict: the largest added latency of any frame, either way, must not exceed this. */
  stallLimitMs: number;
}

export interface RedisBlip {
  /** Seconds into the service's hold. */
  atSeconds: number;
  /** How long every connection is dropped and new ones refused. */
  seconds: number;
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
  faults: false,
  redisBlip: null,
  bigToolArgumentBytes: null,
  bigToolAtSeconds: null,
  endDuringBlip: 0,
  stallLimitMs: 100,
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

/**
 * What --faults changes: the load run. 100 calls held 60 s; a 5 s Redis blip in the
 * half with tool calls and transfers, during which 10 calls hang up; one 100 KB lookup_order
 * argument in the audio-only half, apart from the blip so a stall can be told apart.
 */
export const FAULT_OPTIONS: Partial<BenchOptions> = {
  steps: [100],
  holdSeconds: 60,
  redisBlip: { atSeconds: 35, seconds: 5 },
  bigToolArgumentBytes: 100_000,
  bigToolAtSeconds: 15,
  endDuringBlip: 10,
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

 Fault injection (service phase only; any of these prints the fault verdict and exits non-zero if it fails):
  --faults               the issue's load run: --steps 100 --hold 60 --redis-blip 35:5 --end-during-blip 10
                         --big-tool-argument 100000 --big-tool-at 15 (each still overridable)
  --redis-blip 20:5      the service's Redis goes through a TCP proxy in the bench; AT seconds into the hold it
                         drops every connection and refuses new ones for SECONDS (the bench's own Redis use
                         does not go through it)
  --end-during-blip 10   calls that hang up one second into the blip (their summaries must still arrive)
  --big-tool-argument N  one lookup_order tool.call on one call whose order_id is N characters of realistic
                         text (ids, emails, phone and card numbers, spaces)
  --big-tool-at 15       seconds into the hold it is sent (default: a quarter of the way in)
  --stall-limit 100      fault verdict: no frame, either way, may arrive more than this many ms late
  --help`;

export class BenchOptionsError extends Error {}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const faults = argv.includes('--faults');
  if (smoke && faults) throw new BenchOptionsError('--smoke and --faults are two different presets: pick one');
  const options: BenchOptions = { ...DEFAULT_OPTIONS, ...(smoke ? SMOKE_OPTIONS : {}), ...(faults ? FAULT_OPTIONS : {}), smoke, faults };
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
      case '--faults':
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
      case '--redis-blip':
        options.redisBlip = parseRedisBlip(flag, value());
        break;
      case '--end-during-blip':
        options.endDuringBlip = nonNegativeInteger(flag, value());
        break;
      case '--big-tool-argument':
        options.bigToolArgumentBytes = boundedInteger(flag, value(), 1, 4_000_000);
        break;
      case '--big-tool-at':
        options.bigToolAtSeconds = nonNegativeNumber(flag, value());
        break;
      case '--stall-limit':
        options.stallLimitMs = positiveNumber(flag, value());
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
  if (options.baselineOnly && faultMode(options))
    throw new BenchOptionsError('fault injection needs the service: not with --baseline-only');
  if (options.endDuringBlip > 0 && !options.redisBlip) throw new BenchOptionsError('--end-during-blip needs --redis-blip');
  if (options.bigToolAtSeconds !== null && options.bigToolArgumentBytes === null)
    throw new BenchOptionsError('--big-tool-at needs --big-tool-argument');
  if (options.bigToolArgumentBytes !== null && bigToolAtSeconds(options) >= options.holdSeconds) {
    throw new BenchOptionsError(`--big-tool-at must fall inside the ${options.holdSeconds} s hold, got ${bigToolAtSeconds(options)}`);
  }
  return options;
}

/** Any fault injected: the run gets the fault verdict. */
export function faultMode(options: Pick<BenchOptions, 'faults' | 'redisBlip' | 'bigToolArgumentBytes'>): boolean {
  return options.faults || options.redisBlip !== null || options.bigToolArgumentBytes !== null;
}

/** When the big tool argument goes out, in seconds into the hold. */
export function bigToolAtSeconds(options: Pick<BenchOptions, 'bigToolAtSeconds' | 'holdSeconds'>): number {
  return options.bigToolAtSeconds ?? options.holdSeconds / 4;
}

/** AT:SECONDS, e.g. 20:5 (AT may pass the hold's end: the blip then falls on the call endings). */
function parseRedisBlip(flag: string, raw: string): RedisBlip {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(raw);
  const atSeconds = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || !(seconds > 0))
    throw new BenchOptionsError(`${flag} must be AT:SECONDS (seconds into the hold, then how long), e.g. 20:5; got ${raw}`);
  return { atSeconds, seconds };
}

function nonNegativeNumber(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new BenchOptionsError(`${flag} must be a number of 0 or more, got ${raw}`);
  return value;
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
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BenchOptionsError(`${flag} must be a whole number from ${min} to ${max}, got ${raw}`);
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
