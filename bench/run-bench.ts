import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createPgClient, PgClient } from './support/pg-client';
import {
  BigToolCallRecord,
  CallerSnapshot,
  CallerStatus,
  EndCallsResult,
  EndedCall,
  OpenCallsResult,
  PeerSnapshot,
} from './support/bench-stats';
import {
  BenchOptions,
  BenchOptionsError,
  bigToolAtSeconds,
  faultMode,
  forwarderProcesses,
  parseBenchOptions,
  TARGETS,
  USAGE,
} from './support/bench-options';
import {
  createDatabase,
  databaseUrl,
  deleteRedisPrefix,
  dropDatabase,
  EventLoopLagPoller,
  freePort,
  listeningWorkers,
  REDIS_URL,
  ServiceProcess,
  startService,
  tail,
  versions,
  waitUntilReady,
} from './support/bench-services';
import { BenchChild, stopProcess } from './support/child-rpc';
import {
  BusyStretch,
  busyStretches,
  CpuProfile,
  formatBusyStretches,
  formatProfileSummary,
  ProfileSummary,
  summariseCpuProfile,
} from './support/cpu-profile';
import {
  audioErrors,
  BigToolFigures,
  directionFigures,
  FaultFigures,
  faultVerdict,
  FaultVerdict,
  formatFaultReport,
  otherErrors,
  RedisBlipFigures,
} from './support/fault-report';
import { HistogramJson, LatencyHistogram, LatencySummary } from './support/latency-histogram';
import { MachineInfo, machineInfo } from './support/machine-info';
import { ProcessSampler } from './support/process-sampler';
import { BlipRecord, RedisBlipProxy } from './support/redis-blip-proxy';
import {
  breakReasons,
  evaluateTargets,
  smokeProblems,
  formatStepTable,
  formatSummaryTable,
  PhaseResult,
  phaseErrorCount,
  lagFigures,
  memoryPerCallKb,
  ratio,
  refusedCount,
  RelayTarget,
  stepVerdict,
  StepResult,
  TargetVerdict,
} from './support/step-report';
import { postCallFigures, waitForSummaries } from './support/summary-probe';
import { transpileEntryPoints } from './support/transpile';

/*
 * npm run bench: the service, a provider peer, a load generator of Twilio callers and a bare
 * forwarder (the baseline), all on 127.0.0.1. For each step of concurrent calls: the
 * baseline carries the load, then the service does; latency and CPU are measured during the
 * hold; then the service's calls end at a fixed rate and their summaries are awaited in
 * Postgres. The ramp stops at the first step that breaks.
 */

const REPO_ROOT = resolve(__dirname, '..');
const RESULTS_DIRECTORY = join(__dirname, 'results');

interface ProfileRecord {
  step: number;
  /** The profiled process (a cluster worker, or the single service process). */
  pid: number;
  file: string;
  summary: ProfileSummary;
  longestBusyStretches: BusyStretch[];
}

interface SourceState {
  commit: string;
  /** Files under src/ that differ from the commit (the build measured includes them). */
  uncommittedSourceFiles: string[];
  /** When dist/main.js (what the service runs) was built; others may rebuild it between runs. */
  distBuiltAt: string | null;
}

interface BenchReport {
  startedAt: string;
  finishedAt?: string;
  command: string;
  source: SourceState;
  options: BenchOptions;
  machine: MachineInfo;
  targets: typeof TARGETS;
  notes: string[];
  steps: StepResult[];
  verdicts: TargetVerdict[];
  profiles: ProfileRecord[];
  /** Fault runs only: the verdict of each fault step. */
  faultRun?: { step: number; verdict: FaultVerdict }[];
  outcome?: string;
}

interface Bench {
  options: BenchOptions;
  peer: BenchChild;
  forwarder: BenchChild;
  callers: BenchChild;
  forwarderUrl: string;
  service: ServiceProcess | undefined;
  sampler: ProcessSampler;
  summaries: PgClient | undefined;
  runId: string;
  cores: number;
  profiles: ProfileRecord[];
  /** Profiles written so far per pid (the preload numbers them 1, 2, ...). */
  profileCounts: Map<number, number>;
  /** The service's way to Redis when a blip is asked for. */
  redisProxy: RedisBlipProxy | undefined;
}

/** Faults scheduled for one service hold, each settling to what happened (never rejecting). */
interface FaultsInFlight {
  blip: Promise<BlipRecord | { error: string }> | undefined;
  endedDuringBlip: Promise<EndedCall[]>;
  bigToolCall: Promise<BigToolCallRecord> | undefined;
}

const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        process.stderr.write(`cleanup: ${error instanceof Error ? error.message : String(error)}\n`),
      );
    }
  })();
  return cleaningUp;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping every bench process\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(intervalMs);
  }
  log(`warning: ${what} did not happen within ${timeoutMs} ms`);
  return false;
}

function summaryOf(json: Parameters<typeof LatencyHistogram.fromJSON>[0]): LatencySummary {
  return LatencyHistogram.fromJSON(json).summary();
}

/** The processes that relay calls: the cluster workers, or the single service process. */
function relayPids(bench: Bench): number[] {
  const root = bench.service?.process.pid;
  if (root === undefined) return [];
  if (bench.options.serviceWorkers <= 1) return [root];
  return bench.sampler.pids('service').filter((pid) => pid !== root);
}

/** SIGUSR2 to every relay process starts its profiler; the next one writes the profile (service-preload.js). */
async function captureProfile(bench: Bench, step: number, stop: boolean, pids: readonly number[]): Promise<void> {
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  if (!stop) return;
  const cluster = bench.options.serviceWorkers > 1;
  for (const pid of pids) {
    const count = (bench.profileCounts.get(pid) ?? 0) + 1;
    bench.profileCounts.set(pid, count);
    const file = join(RESULTS_DIRECTORY, `${bench.runId}-service${cluster ? `-${pid}` : ''}-${count}.cpuprofile`);
    const written = await until(`the CPU profile of service process ${pid}`, async () => existsSync(file), 20_000);
    if (!written) continue;
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const summary = summariseCpuProfile(profile, 40);
    const longestBusyStretches = busyStretches(profile, 20, 5);
    bench.profiles.push({ step, pid, file: relative(REPO_ROOT, file), summary, longestBusyStretches });
    log(
      `CPU profile of service process ${pid}, ${step}-call hold: ${relative(REPO_ROOT, file)}\n${formatProfileSummary(summary)}\n${formatBusyStretches(longestBusyStretches)}`,
    );
  }
}

const failureMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Starts the fault run's timers, relative to the service hold's start. */
function scheduleFaults(bench: Bench, holdStart: number): FaultsInFlight {
  const { options, peer, callers, redisProxy } = bench;
  const blipPlan = options.redisBlip;
  let blip: FaultsInFlight['blip'];
  let endedDuringBlip: Promise<EndedCall[]> = Promise.resolve([]);
  if (blipPlan && redisProxy) {
    const startsIn = holdStart + blipPlan.atSeconds * 1000 - Date.now();
    blip = sleep(startsIn)
      .then(async () => {
        log(
          `Redis blip: the service's Redis connections dropped and refused for ${blipPlan.seconds} s (${blipPlan.atSeconds} s into the hold)`,
        );
        const record = await redisProxy.blip(blipPlan.seconds);
        log(`Redis blip over: ${record.connectionsDropped} connections were dropped${record.error ? `; ${record.error}` : ''}`);
        return record;
      })
      .catch((error: unknown) => ({ error: failureMessage(error) }));
    if (options.endDuringBlip > 0) {
      // One second in (or halfway through a shorter blip), so Redis is surely gone when they hang up.
      endedDuringBlip = sleep(startsIn + Math.min(1000, blipPlan.seconds * 500))
        .then(async () => {
          log(`Redis blip: ${options.endDuringBlip} calls hang up at ${options.endRate}/s`);
          const ended = await callers.call<EndCallsResult>(
            'end',
            { ratePerSec: options.endRate, count: options.endDuringBlip },
            (options.endDuringBlip / options.endRate) * 1000 + 60_000,
          );
          return ended.ended;
        })
        .catch((error: unknown) => {
          log(`warning: the calls that were to hang up during the blip could not: ${failureMessage(error)}`);
          return [];
        });
    }
  }
  let bigToolCall: Promise<BigToolCallRecord> | undefined;
  if (options.bigToolArgumentBytes !== null) {
    bigToolCall = sleep(holdStart + bigToolAtSeconds(options) * 1000 - Date.now())
      .then(async () => {
        const record = await peer.call<BigToolCallRecord>('sendBigToolCall');
        log(
          record.sent
            ? `big tool argument: lookup_order with a ${record.argumentChars}-character order_id sent on call ${record.callIndex}`
            : `big tool argument not sent: ${record.reason ?? '?'}`,
        );
        return record;
      })
      .catch((error: unknown): BigToolCallRecord => ({
        sent: false,
        reason: failureMessage(error),
        callId: '',
        callIndex: null,
        sentAt: null,
        argumentChars: null,
        messageBytes: null,
        answered: false,
        roundTripMs: null,
        resultChars: null,
        resultError: null,
      }));
  }
  return { blip, endedDuringBlip, bigToolCall };
}

/** What the faults of one service phase came to, once its calls ended and their summaries were awaited. */
interface FaultOutcome {
  /** CallSids of every call placed and carried. */
  placed: string[];
  endedDuringBlip: EndedCall[];
  createdAt: ReadonlyMap<string, number>;
  summaryError: string | undefined;
  blip: BlipRecord | { error: string } | undefined;
  bigToolCall: BigToolCallRecord | null;
}

interface FaultInputs extends FaultOutcome {
  bench: Bench;
  calls: number;
  holdStart: number;
  phase: PhaseResult;
  peerHold: PeerSnapshot;
  callersHold: CallerSnapshot;
}

/** What the fault verdict is judged on, from one service phase. */
function faultFigures(input: FaultInputs): FaultFigures {
  const { bench, phase, holdStart } = input;
  const { options } = bench;
  const seconds = (at: number | null | undefined): number | null => (at === null || at === undefined ? null : (at - holdStart) / 1000);
  let redisBlip: RedisBlipFigures | null = null;
  if (options.redisBlip) {
    const record = input.blip && 'startedAt' in input.blip ? input.blip : undefined;
    const error = input.blip && 'error' in input.blip ? input.blip.error : input.blip ? undefined : 'no blip proxy';
    redisBlip = {
      requestedAtSeconds: options.redisBlip.atSeconds,
      requestedSeconds: options.redisBlip.seconds,
      startedAtSeconds: seconds(record?.startedAt),
      lastedSeconds: record && record.endedAt !== null ? (record.endedAt - record.startedAt) / 1000 : null,
      connectionsDropped: record?.connectionsDropped ?? null,
      firstReconnectAfterMs: record && record.endedAt !== null ? (bench.redisProxy?.firstConnectionAfter(record.endedAt) ?? null) : null,
      callsEndedDuring: input.endedDuringBlip.length,
      ...(error ? { error } : {}),
    };
  }
  let bigToolCall: BigToolFigures | null = null;
  if (options.bigToolArgumentBytes !== null) {
    const record = input.bigToolCall;
    bigToolCall = {
      requestedChars: options.bigToolArgumentBytes,
      requestedAtSeconds: bigToolAtSeconds(options),
      sent: record?.sent ?? false,
      sentAtSeconds: seconds(record?.sentAt),
      callIndex: record?.callIndex ?? null,
      argumentChars: record?.argumentChars ?? null,
      messageBytes: record?.messageBytes ?? null,
      answered: record?.answered ?? false,
      roundTripMs: record?.roundTripMs ?? null,
      resultChars: record?.resultChars ?? null,
      resultError: record?.resultError ?? null,
      ...(record?.reason ? { reason: record.reason } : record ? {} : { reason: 'never scheduled' }),
    };
  }
  const duringBlip = new Set(input.endedDuringBlip.map((call) => call.callSid));
  const written = input.placed.filter((callSid) => input.createdAt.has(callSid));
  const missing = input.placed.filter((callSid) => !input.createdAt.has(callSid));
  return {
    calls: input.calls,
    holdSeconds: options.holdSeconds,
    stallLimitMs: options.stallLimitMs,
    callsPlaced: input.placed.length,
    callsNotCarried: phase.openFailures + refusedCount(phase),
    callerToProvider: directionFigures(phase.callerToProvider, input.peerHold.stalls, phase.lossCallerToProvider, holdStart),
    providerToCaller: directionFigures(phase.providerToCaller, input.callersHold.stalls, phase.lossProviderToCaller, holdStart),
    audioErrors: audioErrors(phase.counts),
    otherErrors: otherErrors(phase.counts),
    summaries: {
      expected: input.placed.length,
      written: written.length,
      missingSample: missing.slice(0, 10),
      endedDuringBlip: duringBlip.size,
      writtenOfEndedDuringBlip: [...duringBlip].filter((callSid) => input.createdAt.has(callSid)).length,
      timeoutSeconds: options.summaryTimeoutSeconds,
      p95Ms: phase.postCall?.p95Ms ?? null,
      maxMs: phase.postCall?.maxMs ?? null,
      ...(input.summaryError ? { error: input.summaryError } : {}),
    },
    redisBlip,
    bigToolCall,
    baselineMaxMs: null,
    harness: {
      peerPacerMaxLagMs: phase.harness.peerPacerMaxLagMs,
      loadGeneratorPacerMaxLagMs: phase.harness.loadGeneratorPacerMaxLagMs,
      machineBusyPercent: phase.harness.machineBusyPercent,
      otherCpuPercent: phase.harness.otherCpuPercent,
      stealPercent: phase.harness.stealPercent,
    },
  };
}

async function runPhase(bench: Bench, target: RelayTarget, calls: number): Promise<PhaseResult> {
  const { options, peer, callers, sampler } = bench;
  const relay = target === 'service' ? 'service' : 'forwarder';
  await peer.call('reset');
  await callers.call('reset');
  await until(
    'the previous calls to close at the peer',
    async () => (await peer.call<{ connections: number }>('status')).connections === 0,
    20_000,
  );
  sampler.sampleNow();
  const rssIdleKb = sampler.latestRssKb(relay) ?? null;

  log(`${target}: opening ${calls} calls at ${options.rampRate}/s`);
  const open = await callers.call<OpenCallsResult>(
    'open',
    { target, url: target === 'service' ? bench.service!.baseUrl : bench.forwarderUrl, count: calls, ratePerSec: options.rampRate },
    (calls / options.rampRate) * 1000 + 60_000,
  );
  if (open.failed > 0) log(`${target}: ${open.failed} calls failed to open, e.g. ${open.errorSamples[0] ?? '?'}`);
  // Refusals at stream start (1013) arrive after `open` returns: a call is settled once it streams at the peer or was refused.
  await until(
    `${open.opened} calls streaming at the peer or refused`,
    async () => {
      const [peerStatus, callerStatus] = await Promise.all([
        peer.call<{ streaming: number }>('status'),
        callers.call<CallerStatus>('status'),
      ]);
      return peerStatus.streaming + callerStatus.refusedAtStream >= open.opened;
    },
    15_000,
  );
  await sleep(1000);
  const settled = await callers.call<CallerStatus>('status');
  const refused = { atWebhook: settled.refusedAtWebhook, atStream: settled.refusedAtStream };
  const carried = open.opened - refused.atStream;
  if (refused.atWebhook + refused.atStream > 0) {
    log(
      `${target}: at capacity: ${refused.atWebhook + refused.atStream} calls refused (busy TwiML ${refused.atWebhook}, stream closed 1013 ${refused.atStream}); ${carried} carried`,
    );
  }

  // The hold has two halves: audio only (the relay's own cost, compared with the forwarder),
  // then audio plus tool calls and transfers (what the service's logic adds on top).
  const profiling = target === 'service' && options.profileSteps.includes(calls);
  const profiled = profiling ? relayPids(bench) : [];
  if (profiling) await captureProfile(bench, calls, false, profiled);
  const withFaults = target === 'service' && faultMode(options);
  if (withFaults && options.bigToolArgumentBytes !== null) await peer.call('prepareBigToolCall', { chars: options.bigToolArgumentBytes });
  const halfMs = (options.holdSeconds * 1000) / 2;
  log(
    `${target}: holding ${calls} calls for ${options.holdSeconds} s (${target === 'service' ? 'audio only, then with tool calls and transfers' : 'audio only'})`,
  );
  sampler.sampleNow();
  const lagPoller = target === 'service' ? new EventLoopLagPoller(bench.service!.baseUrl) : undefined;
  lagPoller?.start();
  const holdStart = Date.now();
  await peer.call('beginHold');
  await callers.call('resetLatency');
  const faults = withFaults ? scheduleFaults(bench, holdStart) : undefined;
  await sleep(halfMs);
  sampler.sampleNow();
  const actionsStart = Date.now();
  const audioOnlyWindow = sampler.window(relay, holdStart);
  const audioOnlyShares = sampler.shares(relay, holdStart);
  const [firstHalfCallerToProvider, firstHalfProviderToCaller] = await Promise.all([
    peer.call<HistogramJson>('takeRelayLatency'),
    callers.call<HistogramJson>('takeRelayLatency'),
  ]);
  if (target === 'service') {
    await peer.call('beginActions', {
      holdMs: halfMs,
      toolIntervalMs: options.toolIntervalSeconds * 1000,
      transfersPerCall: options.transfersPerCall,
    });
  }
  await sleep(halfMs);
  sampler.sampleNow();
  const lagValues = lagPoller?.stop();
  const held = await Promise.all([peer.call<PeerSnapshot>('snapshot'), callers.call<CallerSnapshot>('snapshot')]);
  const [peerHold, callersHold] = held;
  const relayWindow = sampler.window(relay, holdStart);
  const actionsWindow = sampler.window(relay, actionsStart);
  const peerWindow = sampler.window('peer', holdStart);
  const callersWindow = sampler.window('callers', holdStart);
  const machineBusy = sampler.machineBusyPercent(holdStart);
  const otherCpu = machineBusy === null ? null : Math.max(0, machineBusy * bench.cores - sampler.trackedCpuPercent(holdStart));
  await peer.call('endHold');
  if (profiling) await captureProfile(bench, calls, true, profiled);

  const endRate = target === 'service' ? options.endRate : Math.max(options.endRate, 250);
  log(`${target}: ending ${calls} calls at ${endRate}/s`);
  const ended = await callers.call<EndCallsResult>('end', { ratePerSec: endRate }, (calls / endRate) * 1000 + 60_000);
  let postCall = null;
  let faultOutcome: FaultOutcome | undefined;
  if (target === 'service') {
    // A fault run waits for the blip to be over, then for a summary of every call placed (ended here, during the blip, or not at all).
    const blip = faults?.blip ? await faults.blip : undefined;
    const endedDuringBlip = faults ? await faults.endedDuringBlip : [];
    const bigToolCall = faults?.bigToolCall ? await faults.bigToolCall : undefined;
    const endedCalls = [...endedDuringBlip, ...ended.ended];
    const placed = faults ? (await callers.call<{ callSids: string[] }>('placed')).callSids : [];
    const endedSids = new Set(endedCalls.map((call) => call.callSid));
    const awaited = [
      ...endedCalls,
      ...placed.filter((callSid) => !endedSids.has(callSid)).map((callSid) => ({ callSid, stopAt: Date.now() })),
    ];
    log(`service: waiting for ${awaited.length} summaries in Postgres`);
    const found = await waitForSummaries(bench.summaries!, awaited, options.summaryTimeoutSeconds * 1000);
    postCall = postCallFigures(endedCalls, found.createdAt, endRate, found.error);
    if (found.error) log(`service: ${found.error}`);
    if (faults)
      faultOutcome = {
        placed,
        endedDuringBlip,
        createdAt: found.createdAt,
        summaryError: found.error,
        blip,
        bigToolCall: bigToolCall ?? null,
      };
  }
  await until(
    'every call to close at the peer',
    async () => (await peer.call<{ connections: number }>('status')).connections === 0,
    20_000,
  );
  const [peerFinal, callersFinal] = await Promise.all([peer.call<PeerSnapshot>('snapshot'), callers.call<CallerSnapshot>('snapshot')]);

  const counts: Record<string, number> = {};
  for (const [key, value] of [...Object.entries(peerFinal.counts), ...Object.entries(callersFinal.counts)])
    counts[key] = (counts[key] ?? 0) + value;
  const lossCallerToProvider = peerFinal.loss;
  const lossProviderToCaller = callersFinal.loss;
  const errors = phaseErrorCount(counts, lossCallerToProvider.incomplete + lossProviderToCaller.incomplete);
  const rssKb = relayWindow.rssKbMax;
  const result: PhaseResult = {
    target,
    calls,
    opened: carried,
    openFailures: open.failed,
    refused,
    serviceEventLoopLag: lagValues ? lagFigures(lagValues) : null,
    callerToProvider: LatencyHistogram.fromJSON(firstHalfCallerToProvider)
      .merge(LatencyHistogram.fromJSON(peerHold.callerToProvider))
      .summary(),
    providerToCaller: LatencyHistogram.fromJSON(firstHalfProviderToCaller)
      .merge(LatencyHistogram.fromJSON(callersHold.providerToCaller))
      .summary(),
    relayByHalf: {
      audioOnly: { callerToProvider: summaryOf(firstHalfCallerToProvider), providerToCaller: summaryOf(firstHalfProviderToCaller) },
      withActions: { callerToProvider: summaryOf(peerHold.callerToProvider), providerToCaller: summaryOf(callersHold.providerToCaller) },
    },
    handoff: target === 'service' ? summaryOf(peerHold.handoff) : null,
    toolRoundTrip: target === 'service' ? summaryOf(peerHold.toolRoundTrip) : null,
    transferResult: target === 'service' ? summaryOf(peerHold.transferResult) : null,
    resources: {
      cpuPercent: audioOnlyWindow.cpuPercent,
      cpuPercentWithActions: target === 'service' ? actionsWindow.cpuPercent : null,
      rssKb,
      rssIdleKb,
      cpuPercentPerCall: audioOnlyWindow.cpuPercent === null || carried <= 0 ? null : audioOnlyWindow.cpuPercent / carried,
      rssKbPerCall: memoryPerCallKb(rssKb, rssIdleKb, carried),
      processes: audioOnlyShares,
    },
    harness: {
      peerCpuPercent: peerWindow.cpuPercent,
      loadGeneratorCpuPercent: callersWindow.cpuPercent,
      machineBusyPercent: machineBusy,
      otherCpuPercent: otherCpu,
      postgresCpuPercent: sampler.window('postgres', holdStart).cpuPercent,
      redisCpuPercent: sampler.window('redis', holdStart).cpuPercent,
      stealPercent: sampler.machineStealPercent(holdStart),
      peerEventLoopP99Ms: peerHold.eventLoop.p99Ms,
      loadGeneratorEventLoopP99Ms: callersHold.eventLoop.p99Ms,
      peerPacerMaxLagMs: peerHold.pacer.maxLagMs,
      loadGeneratorPacerMaxLagMs: callersHold.pacer.maxLagMs,
      skippedFrames: peerHold.pacer.skippedFrames + callersHold.pacer.skippedFrames,
    },
    lossCallerToProvider,
    lossProviderToCaller,
    errors,
    errorSamples: [...open.errorSamples, ...peerFinal.errorSamples, ...callersFinal.errorSamples].slice(0, 20),
    counts: { ...counts, gapsAtHoldEnd: peerHold.gapsInLiveStreams + callersHold.gapsInLiveStreams },
    postCall,
  };
  if (faultOutcome) {
    // The final peer snapshot has the big call's answer even if it came after the hold.
    const bigToolCall = peerFinal.bigToolCall ?? faultOutcome.bigToolCall;
    result.faults = faultFigures({ ...faultOutcome, bigToolCall, bench, calls, holdStart, phase: result, peerHold, callersHold });
  }
  return result;
}

async function runStep(bench: Bench, calls: number): Promise<StepResult> {
  const baseline = bench.options.baseline ? await runPhase(bench, 'baseline', calls) : null;
  const service = bench.options.baselineOnly ? null : await runPhase(bench, 'service', calls);
  const reasons = breakReasons((service ?? baseline)!, bench.options.breakP99Ms, baseline);
  let verdict: FaultVerdict | undefined;
  if (service?.faults) {
    service.faults.baselineMaxMs = baseline
      ? { callerToProvider: baseline.callerToProvider.max, providerToCaller: baseline.providerToCaller.max }
      : null;
    verdict = faultVerdict(service.faults);
  }
  return {
    calls,
    holdSeconds: bench.options.holdSeconds,
    service,
    baseline,
    ratios: {
      cpu: ratio(service?.resources.cpuPercentPerCall, baseline?.resources.cpuPercentPerCall),
      callerToProviderP99: ratio(service?.callerToProvider.p99, baseline?.callerToProvider.p99),
      providerToCallerP99: ratio(service?.providerToCaller.p99, baseline?.providerToCaller.p99),
    },
    broken: reasons.length > 0,
    breakReasons: reasons,
    atCapacity: refusedCount(service) > 0,
    ...(verdict ? { faultVerdict: verdict } : {}),
  };
}

/** Which code was measured (read-only git queries). */
function sourceState(): SourceState {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 }).trim();
    } catch {
      return '';
    }
  };
  return {
    commit: git('rev-parse', 'HEAD') || 'unknown',
    uncommittedSourceFiles: git('status', '--porcelain', '--', 'src')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3)),
    distBuiltAt: existsSync(join(REPO_ROOT, 'dist', 'main.js')) ? statSync(join(REPO_ROOT, 'dist', 'main.js')).mtime.toISOString() : null,
  };
}

/** Transpiled children left behind by runs that were killed (older than an hour). */
function removeStaleBuilds(directory: string): void {
  if (!existsSync(directory)) return;
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchOptionsError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const started = new Date();
  const runId = started.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  const databaseName = `voice_agents_bench_${runId}`;
  const redisPrefix = `bench-${runId}`;
  const resultFile = join(RESULTS_DIRECTORY, `${runId}${options.smoke ? '-smoke' : ''}.json`);
  const machine = machineInfo();
  const report: BenchReport = {
    startedAt: started.toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    source: sourceState(),
    options,
    machine,
    targets: TARGETS,
    notes: [
      `All processes share this machine (${machine.nproc} cores): the service, the provider peer, the load generator and the bare forwarder. CPU % is of one core.`,
      `The service ran ${options.serviceWorkers > 1 ? `as a cluster primary with ${options.serviceWorkers} relay workers (WEB_CONCURRENCY=${options.serviceWorkers})` : 'as one process'}, the bare forwarder as ${forwarderProcesses(options) > 1 ? `a primary with ${forwarderProcesses(options)} workers` : 'one process'}; CPU and RSS are summed over each process tree, and per-call figures divide by the calls carried.`,
      `Admission control: ADMISSION_MAX_EVENT_LOOP_LAG_MS=${options.admissionLagMs}${options.admissionLagMs === 0 ? ' (off)' : ''}, MAX_LIVE_CALLS=${options.maxLiveCalls}${options.maxLiveCalls === 0 ? ' (no limit)' : ''}. Refused calls are counted apart, not as failures or lost frames.`,
      "Latency is one-way, from the stamp inside the 160-byte payload to its arrival at the far peer, so it includes both bench peers' own scheduling; the bare forwarder carries the same load through the same peers for comparison.",
    ],
    steps: [],
    verdicts: [],
    profiles: [],
  };
  const save = (): void => writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);

  const withService = !options.baselineOnly;
  log(withService ? `run ${runId}: database ${databaseName}, Redis prefix ${redisPrefix}` : `run ${runId}: baseline only (no service)`);
  if (withService) {
    await createDatabase(databaseName);
    cleanups.push(async () => {
      if (options.keepDatabase) log(`keeping database ${databaseName}`);
      else await dropDatabase(databaseName);
    });
    cleanups.push(async () => {
      await deleteRedisPrefix(redisPrefix);
    });
  }

  removeStaleBuilds(join(__dirname, '.build'));
  const buildDirectory = join(__dirname, '.build', runId);
  cleanups.push(async () => rmSync(buildDirectory, { recursive: true, force: true }));
  const scripts = transpileEntryPoints(
    REPO_ROOT,
    ['provider-peer.ts', 'bare-forwarder.ts', 'load-generator.ts'].map((file) => join(__dirname, file)),
    buildDirectory,
  );
  const script = (file: string): string => scripts.get(join(__dirname, file)) as string;
  const tick = ['--tick-ms', String(options.tickMs)];
  const { child: peer, ready: peerReady } = await BenchChild.start('provider peer', script('provider-peer.ts'), tick);
  cleanups.push(() => peer.stop());
  const providerUrl = `ws://127.0.0.1:${peerReady.port}/v1/ws`;
  const { child: forwarder, ready: forwarderReady } = await BenchChild.start('bare forwarder', script('bare-forwarder.ts'), [
    '--upstream',
    providerUrl,
    '--workers',
    String(forwarderProcesses(options)),
  ]);
  cleanups.push(() => forwarder.stop());
  const { child: callers } = await BenchChild.start('load generator', script('load-generator.ts'), tick);
  cleanups.push(async () => {
    await callers.call('abort', {}, 5000).catch(() => undefined);
    await callers.stop();
  });

  let service: ServiceProcess | undefined;
  let summaries: PgClient | undefined;
  let redisProxy: RedisBlipProxy | undefined;
  if (withService && options.redisBlip) {
    // Only the service goes through it; the bench's own Redis use (key cleanup) does not.
    const proxy = new RedisBlipProxy(REDIS_URL);
    await proxy.start();
    redisProxy = proxy;
    cleanups.push(() => proxy.stop());
    report.notes.push(
      `Fault run: the service reached Redis through a TCP proxy in the bench (${proxy.url}), which dropped every connection and refused new ones ${options.redisBlip.atSeconds} s into the service's hold for ${options.redisBlip.seconds} s.`,
    );
  }
  const logFile = join(RESULTS_DIRECTORY, `${runId}-service.log`);
  if (withService) {
    if (!existsSync(join(REPO_ROOT, 'dist', 'main.js')))
      throw new Error('dist/main.js is missing: run npm run build (scripts/bench.sh does)');
    const started = startService({
      repoRoot: REPO_ROOT,
      port: await freePort(),
      databaseName,
      redisPrefix,
      ...(redisProxy ? { redisUrl: redisProxy.url } : {}),
      providerUrl,
      logFile,
      workers: options.serviceWorkers,
      admissionLagMs: options.admissionLagMs,
      maxLiveCalls: options.maxLiveCalls,
      ...(options.profileSteps.length ? { profileDirectory: RESULTS_DIRECTORY, profilePrefix: `${runId}-service` } : {}),
    });
    service = started;
    cleanups.push(async () => {
      await stopProcess(started.process, 10_000);
      rmSync(started.listeningFile, { force: true });
    });
    log(
      `service pid ${started.process.pid} on ${started.baseUrl} (${options.serviceWorkers > 1 ? `cluster primary + ${options.serviceWorkers} workers` : 'one process'}; ` +
        `admission: event-loop lag ${options.admissionLagMs || 'off'}${options.admissionLagMs ? ' ms' : ''}, max live calls ${options.maxLiveCalls || 'no limit'}; log ${relative(REPO_ROOT, logFile)}), provider peer ${providerUrl}`,
    );
    await waitUntilReady(started, 120_000);
    if (options.serviceWorkers > 1) log(`service workers listening: ${listeningWorkers(started).join(', ')}`);
    Object.assign(machine, await versions(databaseName));
    const client = createPgClient(databaseUrl(databaseName));
    await client.connect();
    summaries = client;
    cleanups.push(() => client.end());
  }

  const sampler = new ProcessSampler(machine.ticksPerSecond);
  if (service) {
    // The spawned process and everything it forks: in cluster mode, the primary and its workers.
    sampler.trackTree('service', service.process.pid ?? -1);
    // Backends serving the bench's database only; Redis is one shared process.
    sampler.trackGroup('postgres', (commandLine) => commandLine.startsWith('postgres: ') && commandLine.includes(` ${databaseName} `));
    sampler.trackGroup('redis', (commandLine) => commandLine.startsWith('/usr/bin/redis-server') || commandLine.startsWith('redis-server'));
  }
  sampler.trackTree('forwarder', forwarder.pid);
  sampler.track('peer', peer.pid);
  sampler.track('callers', callers.pid);
  sampler.start();
  cleanups.push(async () => sampler.stop());

  const bench: Bench = {
    options,
    peer,
    forwarder,
    callers,
    forwarderUrl: `ws://127.0.0.1:${forwarderReady.port}/twilio/media-stream`,
    service,
    sampler,
    summaries,
    runId,
    cores: machine.nproc,
    profiles: report.profiles,
    profileCounts: new Map(),
    redisProxy,
  };

  const quietSince = Date.now();
  sampler.sampleNow();
  await sleep(2000);
  sampler.sampleNow();
  const busyBefore = sampler.machineBusyPercent(quietSince);
  if (busyBefore !== null) {
    const others = Math.max(0, busyBefore * machine.nproc - sampler.trackedCpuPercent(quietSince));
    report.notes.push(`Before the first step, processes outside the bench used ${others.toFixed(0)} % of a core.`);
    if (others > 20) log(`warning: other processes use ${others.toFixed(0)} % of a core: the figures will carry that noise`);
  }

  let serviceDied = false;
  service?.process.once('exit', (code, signal) => {
    if (cleaningUp) return;
    serviceDied = true;
    log(`the service exited during the run (${code ?? signal}); last log lines:\n${tail(logFile)}`);
  });

  for (const calls of options.steps) {
    if (serviceDied) break;
    log(`step: ${calls} concurrent calls`);
    const step = await runStep(bench, calls);
    report.steps.push(step);
    report.verdicts = evaluateTargets(report.steps);
    save();
    process.stdout.write(`\n${formatStepTable(step)}\n\n`);
    if (step.service?.faults && step.faultVerdict) {
      process.stdout.write(`${formatFaultReport(step.service.faults, step.faultVerdict)}\n\n`);
      report.faultRun = [...(report.faultRun ?? []), { step: calls, verdict: step.faultVerdict }];
    }
    const samples = (step.service ?? step.baseline)?.errorSamples ?? [];
    if (samples.length) log(`error samples: ${samples.slice(0, 5).join(' | ')}`);
    if (service && options.serviceWorkers > 1) {
      const restarted = listeningWorkers(service).length - options.serviceWorkers;
      if (restarted > 0) log(`warning: ${restarted} service worker(s) were restarted by the cluster primary so far`);
    }
    if (step.broken) {
      if (!options.keepGoing) {
        log(`the ramp stops: ${calls} calls broke it (${stepVerdict(step)})`);
        break;
      }
      log(`${calls} calls broke the ramp (${stepVerdict(step)}); --keep-going: next step`);
    }
  }

  report.finishedAt = new Date().toISOString();
  report.verdicts = evaluateTargets(report.steps);
  process.stdout.write(`\n${formatSummaryTable(report.steps)}\n\nTargets (issue 6):\n`);
  for (const verdict of report.verdicts) {
    process.stdout.write(`  [${verdict.met === null ? ' - ' : verdict.met ? 'met' : 'MISSED'}] ${verdict.target}: ${verdict.measured}\n`);
  }

  let exitCode = serviceDied ? 1 : 0;
  if (options.smoke) {
    const problems = smokeProblems(report.steps);
    report.outcome = problems.length ? `smoke failed: ${problems.join('; ')}` : 'smoke passed';
    if (problems.length) exitCode = 1;
  } else if (faultMode(options)) {
    const failed = (report.faultRun ?? []).filter((entry) => !entry.verdict.passed);
    const judged = (report.faultRun ?? []).length;
    report.outcome =
      judged === 0 || serviceDied
        ? `fault run FAIL: ${serviceDied ? 'the service died' : 'no fault step was judged'}`
        : failed.length
          ? `fault run FAIL: ${failed.map((entry) => `${entry.step} calls: ${entry.verdict.reasons.join('; ')}`).join(' | ')}`
          : 'fault run PASS';
    if (judged === 0 || failed.length) exitCode = 1;
  } else {
    report.outcome = serviceDied ? 'the service died' : 'completed';
  }
  save();
  log(`${report.outcome}; results in ${relative(REPO_ROOT, resultFile)}`);
  return exitCode;
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(1);
  });
