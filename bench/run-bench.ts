import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createPgClient, PgClient } from './support/pg-client';
import { CallerSnapshot, CallerStatus, EndCallsResult, OpenCallsResult, PeerSnapshot } from './support/bench-stats';
import { BenchOptions, BenchOptionsError, forwarderProcesses, parseBenchOptions, TARGETS, USAGE } from './support/bench-options';
import {
  createDatabase,
  databaseUrl,
  deleteRedisPrefix,
  dropDatabase,
  EventLoopLagPoller,
  freePort,
  listeningWorkers,
  ServiceProcess,
  startService,
  tail,
  versions,
  waitUntilReady,
} from './support/bench-services';
import { BenchChild, stopProcess } from './support/child-rpc';
import { BusyStretch, busyStretches, CpuProfile, formatBusyStretches, formatProfileSummary, ProfileSummary, summariseCpuProfile } from './support/cpu-profile';
import { HistogramJson, LatencyHistogram, LatencySummary } from './support/latency-histogram';
import { MachineInfo, machineInfo } from './support/machine-info';
import { ProcessSampler } from './support/process-sampler';
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
}

const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`cleanup: ${error instanceof Error ? error.message : String(error)}\n`));
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
    log(`CPU profile of service process ${pid}, ${step}-call hold: ${relative(REPO_ROOT, file)}\n${formatProfileSummary(summary)}\n${formatBusyStretches(longestBusyStretches)}`);
  }
}

async function runPhase(bench: Bench, target: RelayTarget, calls: number): Promise<PhaseResult> {
  const { options, peer, callers, sampler } = bench;
  const relay = target === 'service' ? 'service' : 'forwarder';
  await peer.call('reset');
  await callers.call('reset');
  await until('the previous calls to close at the peer', async () => (await peer.call<{ connections: number }>('status')).connections === 0, 20_000);
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
      const [peerStatus, callerStatus] = await Promise.all([peer.call<{ streaming: number }>('status'), callers.call<CallerStatus>('status')]);
      return peerStatus.streaming + callerStatus.refusedAtStream >= open.opened;
    },
    15_000,
  );
  await sleep(1000);
  const settled = await callers.call<CallerStatus>('status');
  const refused = { atWebhook: settled.refusedAtWebhook, atStream: settled.refusedAtStream };
  const carried = open.opened - refused.atStream;
  if (refused.atWebhook + refused.atStream > 0) {
    log(`${target}: at capacity: ${refused.atWebhook + refused.atStream} calls refused (busy TwiML ${refused.atWebhook}, stream closed 1013 ${refused.atStream}); ${carried} carried`);
  }

  // The hold has two halves: audio only (the relay's own cost, compared with the forwarder),
  // then audio plus tool calls and transfers (what the service's logic adds on top).
  const profiling = target === 'service' && options.profileSteps.includes(calls);
  const profiled = profiling ? relayPids(bench) : [];
  if (profiling) await captureProfile(bench, calls, false, profiled);
  const halfMs = (options.holdSeconds * 1000) / 2;
  log(`${target}: holding ${calls} calls for ${options.holdSeconds} s (${target === 'service' ? 'audio only, then with tool calls and transfers' : 'audio only'})`);
  sampler.sampleNow();
  const lagPoller = target === 'service' ? new EventLoopLagPoller(bench.service!.baseUrl) : undefined;
  lagPoller?.start();
  const holdStart = Date.now();
  await peer.call('beginHold');
  await callers.call('resetLatency');
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
    await peer.call('beginActions', { holdMs: halfMs, toolIntervalMs: options.toolIntervalSeconds * 1000, transfersPerCall: options.transfersPerCall });
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
  if (target === 'service') {
    log(`service: waiting for ${ended.ended.length} summaries in Postgres`);
    const found = await waitForSummaries(bench.summaries!, ended.ended, options.summaryTimeoutSeconds * 1000);
    postCall = postCallFigures(ended.ended, found.createdAt, endRate, found.error);
    if (found.error) log(`service: ${found.error}`);
  }
  await until('every call to close at the peer', async () => (await peer.call<{ connections: number }>('status')).connections === 0, 20_000);
  const [peerFinal, callersFinal] = await Promise.all([peer.call<PeerSnapshot>('snapshot'), callers.call<CallerSnapshot>('snapshot')]);

  const counts: Record<string, number> = {};
  for (const [key, value] of [...Object.entries(peerFinal.counts), ...Object.entries(callersFinal.counts)]) counts[key] = (counts[key] ?? 0) + value;
  const lossCallerToProvider = peerFinal.loss;
  const lossProviderToCaller = callersFinal.loss;
  const errors = phaseErrorCount(counts, lossCallerToProvider.incomplete + lossProviderToCaller.incomplete);
  const rssKb = relayWindow.rssKbMax;
  return {
    target,
    calls,
    opened: carried,
    openFailures: open.failed,
    refused,
    serviceEventLoopLag: lagValues ? lagFigures(lagValues) : null,
    callerToProvider: LatencyHistogram.fromJSON(firstHalfCallerToProvider).merge(LatencyHistogram.fromJSON(peerHold.callerToProvider)).summary(),
    providerToCaller: LatencyHistogram.fromJSON(firstHalfProviderToCaller).merge(LatencyHistogram.fromJSON(callersHold.providerToCaller)).summary(),
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
}

async function runStep(bench: Bench, calls: number): Promise<StepResult> {
  const baseline = bench.options.baseline ? await runPhase(bench, 'baseline', calls) : null;
  const service = bench.options.baselineOnly ? null : await runPhase(bench, 'service', calls);
  const reasons = breakReasons((service ?? baseline)!, bench.options.breakP99Ms, baseline);
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
      'Latency is one-way, from the stamp inside the 160-byte payload to its arrival at the far peer, so it includes both bench peers\' own scheduling; the bare forwarder carries the same load through the same peers for comparison.',
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
  const scripts = transpileEntryPoints(REPO_ROOT, ['provider-peer.ts', 'bare-forwarder.ts', 'load-generator.ts'].map((file) => join(__dirname, file)), buildDirectory);
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
  const logFile = join(RESULTS_DIRECTORY, `${runId}-service.log`);
  if (withService) {
    if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run npm run build (scripts/bench.sh does)');
    const started = startService({
      repoRoot: REPO_ROOT,
      port: await freePort(),
      databaseName,
      redisPrefix,
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
