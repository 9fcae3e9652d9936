import { TARGETS } from './bench-options';
import type { FaultFigures, FaultVerdict } from './fault-report';
import { LatencySummary } from './latency-histogram';
import { ProcessShare } from './process-sampler';
import { LossTotals, mergeLossTotals } from './sequence-tracker';

export type RelayTarget = 'service' | 'baseline';

/** CPU and RSS of the relay, summed over its whole process tree (cluster primary + workers). */
export interface ResourceFigures {
  /** First half of the hold: audio only. */
  cpuPercent: number | null;
  /** Second half of the hold: audio plus tool calls and transfers (service only). */
  cpuPercentWithActions: number | null;
  rssKb: number | null;
  /** RSS before the phase's calls were opened. */
  rssIdleKb: number | null;
  /** Per live call (refused calls are not carried, so they do not count). */
  cpuPercentPerCall: number | null;
  rssKbPerCall: number | null;
  /** Each process of the tree over the audio-only half (primary and workers). */
  processes?: ProcessShare[];
}

export interface HarnessFigures {
  peerCpuPercent: number | null;
  loadGeneratorCpuPercent: number | null;
  machineBusyPercent: number | null;
  /** CPU used by processes outside the bench (other work on the machine), % of one core. */
  otherCpuPercent: number | null;
  /** Postgres backends serving the bench database. */
  postgresCpuPercent: number | null;
  /** The whole Redis server (shared with anything else using it). */
  redisCpuPercent: number | null;
  /** Hypervisor steal, % of one core. */
  stealPercent: number | null;
  peerEventLoopP99Ms: number;
  loadGeneratorEventLoopP99Ms: number;
  peerPacerMaxLagMs: number;
  loadGeneratorPacerMaxLagMs: number;
  skippedFrames: number;
}

export interface PostCallFigures {
  calls: number;
  endRatePerSecond: number;
  summarised: number;
  missing: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Summaries written per second from the first call end to the last summary. */
  summariesPerSecond: number | null;
  /** Most summaries written within any one second. */
  peakSummariesPerSecond: number;
  error?: string;
}

export interface RelayLatency {
  callerToProvider: LatencySummary;
  providerToCaller: LatencySummary;
}

export interface EventLoopLagFigures {
  samples: number;
  medianMs: number | null;
  maxMs: number | null;
}

/** Median and max of the polled per-second lag values. */
export function lagFigures(values: readonly number[]): EventLoopLagFigures {
  if (values.length === 0) return { samples: 0, medianMs: null, maxMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  return { samples: sorted.length, medianMs: sorted[Math.floor((sorted.length - 1) / 2)], maxMs: sorted[sorted.length - 1] };
}

export interface RefusedCalls {
  /** Busy TwiML from the voice webhook. */
  atWebhook: number;
  /** Media Stream closed with 1013 at start. */
  atStream: number;
}

export interface PhaseResult {
  target: RelayTarget;
  /** Calls offered. */
  calls: number;
  /** Calls carried: offered minus failed and refused. */
  opened: number;
  openFailures: number;
  /** Turned away by admission control (not failures, no frames lost). */
  refused?: RefusedCalls;
  /** The service's own event-loop delay p99 per second (its admission gauge), polled during the hold; service only. */
  serviceEventLoopLag?: EventLoopLagFigures | null;
  callerToProvider: LatencySummary;
  providerToCaller: LatencySummary;
  /** The same, per half of the hold: audio only, then with tool calls and transfers. */
  relayByHalf: { audioOnly: RelayLatency; withActions: RelayLatency };
  handoff: LatencySummary | null;
  toolRoundTrip: LatencySummary | null;
  transferResult: LatencySummary | null;
  resources: ResourceFigures;
  harness: HarnessFigures;
  lossCallerToProvider: LossTotals;
  lossProviderToCaller: LossTotals;
  errors: number;
  errorSamples: string[];
  counts: Record<string, number>;
  postCall: PostCallFigures | null;
  /** Fault runs only (service phase): what the fault verdict is judged on. */
  faults?: FaultFigures;
}

export interface StepResult {
  calls: number;
  holdSeconds: number;
  /** null with --baseline-only (the harness alone). */
  service: PhaseResult | null;
  baseline: PhaseResult | null;
  /** cpu: relay CPU per carried call, service / bare forwarder. */
  ratios: { cpu: number | null; callerToProviderP99: number | null; providerToCallerP99: number | null };
  broken: boolean;
  breakReasons: string[];
  /** The service refused calls in this step: it is at capacity (by its own admission rules). */
  atCapacity?: boolean;
  /** Fault runs only. */
  faultVerdict?: FaultVerdict;
}

export interface TargetVerdict {
  target: string;
  measured: string;
  met: boolean | null;
}

export function ratio(value: number | null | undefined, base: number | null | undefined): number | null {
  if (value === null || value === undefined || base === null || base === undefined || base <= 0) return null;
  return value / base;
}

/** Below this many calls, heap growth and GC timing swamp the memory a call adds. */
export const MIN_CALLS_FOR_MEMORY_PER_CALL = 50;

/** Resident memory added per carried call, or null where the figure would be noise. */
export function memoryPerCallKb(rssKb: number | null, rssIdleKb: number | null, carried: number): number | null {
  if (rssKb === null || rssIdleKb === null || carried < MIN_CALLS_FOR_MEMORY_PER_CALL) return null;
  return Math.max(0, (rssKb - rssIdleKb) / carried);
}

export function refusedCount(phase: PhaseResult | null | undefined): number {
  return phase?.refused ? phase.refused.atWebhook + phase.refused.atStream : 0;
}

/** Why a step counts as broken (empty: it held); says so when the bare forwarder broke too. */
export function breakReasons(service: PhaseResult, breakP99Ms: number, baseline: PhaseResult | null = null): string[] {
  const reasons: string[] = [];
  const p99s = [
    ['caller->provider', service.callerToProvider.p99],
    ['provider->caller', service.providerToCaller.p99],
  ] as const;
  for (const [direction, p99] of p99s) {
    if (p99 === null) reasons.push(`no ${direction} latency measured`);
    else if (p99 > breakP99Ms) reasons.push(`${direction} p99 ${p99.toFixed(1)} ms > ${breakP99Ms} ms`);
  }
  const lost = service.lossCallerToProvider.lost + service.lossProviderToCaller.lost;
  if (lost > 0) reasons.push(`${lost} frames lost`);
  if (service.errors > 0) reasons.push(`${service.errors} errors`);
  if (service.openFailures > 0) reasons.push(`${service.openFailures} calls failed to open`);
  const baselineP99 = Math.max(baseline?.callerToProvider.p99 ?? 0, baseline?.providerToCaller.p99 ?? 0);
  if (reasons.length > 0 && baseline && baseline !== service && baselineP99 > breakP99Ms) {
    reasons.push(`the bare forwarder broke too (p99 ${baselineP99.toFixed(1)} ms): the machine is the limit at this load`);
  }
  return reasons;
}

/** Smoke: every piece must have been exercised and nothing lost. */
export function smokeProblems(steps: readonly StepResult[]): string[] {
  const problems: string[] = [];
  if (steps.length === 0) return ['no step ran'];
  for (const step of steps) {
    const phases = [step.service, step.baseline].filter((phase): phase is PhaseResult => phase !== null);
    for (const phase of phases) {
      const lost = mergeLossTotals(phase.lossCallerToProvider, phase.lossProviderToCaller);
      if (lost.lost > 0) problems.push(`${phase.target}: ${lost.lost} frames lost`);
      if (lost.streams === 0) problems.push(`${phase.target}: no call finished its streams`);
      if (phase.callerToProvider.count === 0 || phase.providerToCaller.count === 0)
        problems.push(`${phase.target}: no relay latency measured`);
      if (phase.errors > 0) problems.push(`${phase.target}: ${phase.errors} errors (${phase.errorSamples.slice(0, 3).join(' | ')})`);
      if (refusedCount(phase) > 0) problems.push(`${phase.target}: ${refusedCount(phase)} calls refused`);
    }
    if (!step.service) continue;
    if (!step.service.handoff?.count) problems.push('service: no handoff measured');
    if (!step.service.toolRoundTrip?.count) problems.push('service: no tool round trip measured');
    if (!step.service.postCall?.summarised)
      problems.push(`service: no summary reached Postgres${step.service.postCall?.error ? ` (${step.service.postCall.error})` : ''}`);
    else if (step.service.postCall.missing > 0) problems.push(`service: ${step.service.postCall.missing} summaries missing`);
  }
  return problems;
}

/** Counts every kind of failure a phase can show (never timings). */
export function phaseErrorCount(counts: Record<string, number>, lossIncomplete: number): number {
  const failureKeys = [
    'openFailures',
    'misroutedFrames',
    'closedByRemote',
    'finalMarkerMissing',
    'toolErrors',
    'handoffsRefused',
    'unexpectedMessages',
    'unexpectedUpdates',
    'foreignFrames',
  ];
  return failureKeys.reduce((sum, key) => sum + (counts[key] ?? 0), 0) + lossIncomplete;
}

/**
 * Targets of issue 6 against the steps measured. The concurrency targets are judged at 1000
 * calls; when the ramp broke before 1000 they are missed, and the per-call targets (CPU
 * ratio, handoff, summaries) are judged at the largest step that held, which is named.
 */
export function evaluateTargets(allSteps: readonly StepResult[]): TargetVerdict[] {
  const steps = allSteps.filter((step): step is StepResult & { service: PhaseResult } => step.service !== null);
  const goal = TARGETS.concurrentCalls;
  const atTarget = steps.find((step) => step.calls === goal);
  const held = steps.filter((step) => !step.broken);
  const largestHeld = held.length ? held.reduce((best, step) => (step.calls > best.calls ? step : best)) : undefined;
  const brokeBelow = steps.find((step) => step.broken && step.calls < goal);
  const reference = atTarget ?? largestHeld;
  const where = (step: StepResult | undefined): string =>
    step ? ` at ${step.calls} calls${step.service && step.service.opened !== step.calls ? ` (${step.service.opened} carried)` : ''}` : '';
  const unreachable = brokeBelow
    ? `the ramp broke at ${brokeBelow.calls} calls (${brokeBelow.breakReasons.join('; ')}); largest step that held: ${largestHeld?.calls ?? 'none'}`
    : undefined;
  const verdicts: TargetVerdict[] = [];

  const lost = (step: StepResult & { service: PhaseResult }): number =>
    step.service.lossCallerToProvider.lost + step.service.lossProviderToCaller.lost;
  const refusedNote = (step: StepResult & { service: PhaseResult }): string =>
    refusedCount(step.service) > 0 ? `, ${refusedCount(step.service)} refused (at capacity)` : '';
  verdicts.push({
    target: `${goal} concurrent calls, no lost frames`,
    measured: atTarget
      ? `${atTarget.service.opened}/${goal} calls carried${refusedNote(atTarget)}, ${lost(atTarget)} frames lost, ${atTarget.service.errors} errors`
      : (unreachable ?? 'step not run'),
    met: atTarget ? atTarget.service.opened === goal && lost(atTarget) === 0 && atTarget.service.errors === 0 : brokeBelow ? false : null,
  });

  const latencyAt = (step: (StepResult & { service: PhaseResult }) | undefined): string =>
    step
      ? `caller->provider p99 ${fmt(step.service.callerToProvider.p99)} ms, provider->caller p99 ${fmt(step.service.providerToCaller.p99)} ms${where(step)} (bare forwarder ${fmt(step.baseline?.callerToProvider.p99)} / ${fmt(step.baseline?.providerToCaller.p99)} ms)`
      : 'not measured';
  const c2p = atTarget?.service.callerToProvider.p99 ?? null;
  const p2c = atTarget?.service.providerToCaller.p99 ?? null;
  verdicts.push({
    target: `p99 added relay latency <= ${TARGETS.relayP99Ms} ms each way at ${goal} calls`,
    measured: atTarget ? latencyAt(atTarget) : unreachable ? `${unreachable}; ${latencyAt(largestHeld)}` : 'step not run',
    met: atTarget ? c2p !== null && p2c !== null && c2p <= TARGETS.relayP99Ms && p2c <= TARGETS.relayP99Ms : brokeBelow ? false : null,
  });

  const cpuRatio = reference?.ratios.cpu ?? null;
  verdicts.push({
    target: `relay CPU <= ${TARGETS.cpuRatioToBaseline}x the bare forwarder`,
    measured: reference
      ? `${fmt(reference.service.resources.cpuPercent, 0)} % vs ${fmt(reference.baseline?.resources.cpuPercent, 0)} % of a core = ${fmt(cpuRatio, 2)}x per call${where(reference)}`
      : 'not measured',
    met: cpuRatio === null ? null : cpuRatio <= TARGETS.cpuRatioToBaseline,
  });

  const handoffP99 = reference?.service.handoff?.p99 ?? null;
  verdicts.push({
    target: `handoff p99 <= ${TARGETS.handoffP99Ms} ms`,
    measured: reference
      ? `p99 ${fmt(handoffP99)} ms over ${reference.service.handoff?.count ?? 0} handoffs${where(reference)}`
      : 'not measured',
    met: handoffP99 === null ? null : handoffP99 <= TARGETS.handoffP99Ms,
  });

  const postCall = reference?.service.postCall ?? null;
  verdicts.push({
    target: `summary in Postgres p95 <= ${TARGETS.summaryP95Ms} ms after call end, ${TARGETS.summaryEndRate} calls ending per second`,
    measured: postCall
      ? `p95 ${fmt(postCall.p95Ms, 0)} ms, ${postCall.summarised}/${postCall.calls} summarised, ${postCall.endRatePerSecond}/s ending${where(reference)}`
      : 'not measured',
    met: postCall === null || postCall.p95Ms === null ? null : postCall.p95Ms <= TARGETS.summaryP95Ms && postCall.missing === 0,
  });
  return verdicts;
}

export function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

function pair(summary: LatencySummary | null | undefined): string {
  return summary && summary.count > 0 ? `${fmt(summary.p50)} / ${fmt(summary.p99)}` : '-';
}

/** "c->p / p->c" p99 of one half of the hold. */
function p99(relay: RelayLatency): string {
  return `${fmt(relay.callerToProvider.p99)} / ${fmt(relay.providerToCaller.p99)}`;
}

function refusedText(phase: PhaseResult): string {
  if (!phase.refused) return '0';
  const total = refusedCount(phase);
  return total === 0 ? '0' : `${total} (webhook ${phase.refused.atWebhook}, stream ${phase.refused.atStream})`;
}

function processText(processes: readonly ProcessShare[] | undefined): string {
  if (!processes || processes.length <= 1) return '-';
  return processes.map((share) => `${share.pid}: ${fmt(share.cpuPercent, 0)}`).join(', ');
}

/** held / held but at capacity / BROKEN, with the reasons. */
export function stepVerdict(step: StepResult): string {
  const capacity = step.atCapacity ? `at capacity (${refusedCount(step.service)} calls refused, ${step.service?.opened ?? 0} carried)` : '';
  if (step.broken) return `BROKEN: ${step.breakReasons.join('; ')}${capacity ? `; ${capacity}` : ''}`;
  return capacity ? `held, ${capacity}` : 'held';
}

function lossText(loss: LossTotals | undefined): string {
  return loss ? `${loss.lost} / ${loss.reordered}` : '-';
}

function mb(kb: number | null | undefined): string {
  return kb === null || kb === undefined ? '-' : (kb / 1024).toFixed(0);
}

/** The table printed after each step. */
export function formatStepTable(step: StepResult): string {
  const phases = [step.service, step.baseline].filter((phase): phase is PhaseResult => phase !== null);
  const service = step.service;
  const both = step.service !== null && step.baseline !== null;
  const column = (render: (phase: PhaseResult) => string): string[] => phases.map(render);
  const rows: string[][] = [
    ['', ...column((phase) => (phase.target === 'service' ? 'service' : 'bare forwarder')), ...(both ? ['ratio'] : [])],
    [
      'caller->provider p50 / p99 ms',
      ...column((phase) => pair(phase.callerToProvider)),
      ...(both ? [`${fmt(step.ratios.callerToProviderP99, 2)}x p99`] : []),
    ],
    [
      'provider->caller p50 / p99 ms',
      ...column((phase) => pair(phase.providerToCaller)),
      ...(both ? [`${fmt(step.ratios.providerToCallerP99, 2)}x p99`] : []),
    ],
    [
      '  p99 audio only | with tools + transfers',
      ...column((phase) => `${p99(phase.relayByHalf.audioOnly)} | ${p99(phase.relayByHalf.withActions)}`),
    ],
    [
      'relay CPU % of one core, audio only',
      ...column((phase) => fmt(phase.resources.cpuPercent)),
      ...(both ? [`${fmt(step.ratios.cpu, 2)}x per call`] : []),
    ],
    ['  per process (pid: CPU %)', ...column((phase) => processText(phase.resources.processes))],
    ['  with tool calls + transfers', ...column((phase) => fmt(phase.resources.cpuPercentWithActions))],
    ['relay CPU % per call', ...column((phase) => fmt(phase.resources.cpuPercentPerCall, 3))],
    ['relay RSS MB (KB per call)', ...column((phase) => `${mb(phase.resources.rssKb)} (${fmt(phase.resources.rssKbPerCall, 0)})`)],
    ['lost / reordered caller->provider', ...column((phase) => lossText(phase.lossCallerToProvider))],
    ['lost / reordered provider->caller', ...column((phase) => lossText(phase.lossProviderToCaller))],
    ['calls carried / refused / errors', ...column((phase) => `${phase.opened}/${phase.calls} / ${refusedText(phase)} / ${phase.errors}`)],
    [
      'machine busy % | peer, load gen, other CPU %',
      ...column(
        (phase) =>
          `${fmt(phase.harness.machineBusyPercent, 0)} | ${fmt(phase.harness.peerCpuPercent, 0)}, ${fmt(phase.harness.loadGeneratorCpuPercent, 0)}, ${fmt(phase.harness.otherCpuPercent, 0)}`,
      ),
    ],
    [
      'Postgres (bench db), Redis, steal CPU %',
      ...column(
        (phase) =>
          `${fmt(phase.harness.postgresCpuPercent, 0)}, ${fmt(phase.harness.redisCpuPercent, 0)}, ${fmt(phase.harness.stealPercent, 1)}`,
      ),
    ],
    [
      'harness loop p99 ms (peer, load gen)',
      ...column((phase) => `${fmt(phase.harness.peerEventLoopP99Ms)}, ${fmt(phase.harness.loadGeneratorEventLoopP99Ms)}`),
    ],
  ];
  if (service) {
    rows.push(
      [
        'service event-loop lag p99/s, median / max ms',
        service.serviceEventLoopLag?.samples
          ? `${fmt(service.serviceEventLoopLag.medianMs)} / ${fmt(service.serviceEventLoopLag.maxMs)} (${service.serviceEventLoopLag.samples} polls)`
          : '-',
      ],
      ['handoff p50 / p99 ms (n)', `${pair(service.handoff)} (${service.handoff?.count ?? 0})`],
      ['tool round trip p50 / p99 ms (n)', `${pair(service.toolRoundTrip)} (${service.toolRoundTrip?.count ?? 0})`],
      [
        'call end -> summary p50 / p95 ms',
        service.postCall
          ? `${fmt(service.postCall.p50Ms, 0)} / ${fmt(service.postCall.p95Ms, 0)} (${service.postCall.summarised}/${service.postCall.calls})`
          : '-',
      ],
      [
        'summaries per second (peak)',
        service.postCall ? `${fmt(service.postCall.summariesPerSecond)} (${service.postCall.peakSummariesPerSecond})` : '-',
      ],
    );
  }
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index]))
      .join('  ')
      .trimEnd(),
  );
  const verdict = stepVerdict(step);
  return [`== ${step.calls} concurrent calls, ${step.holdSeconds} s hold: ${verdict}`, ...lines].join('\n');
}

/** One line per step, for the end of the run and the doc. */
export function formatSummaryTable(steps: readonly StepResult[]): string {
  const header =
    '| calls | c->p p50/p99 ms (bare) | p->c p50/p99 ms (bare) | CPU % (bare) | CPU ratio | RSS MB | KB/call | lost/reord | handoff p50/p99 | tool p50/p99 | summary p50/p95 ms | summ/s | held |';
  const rule =
    '|' +
    header
      .slice(1, -1)
      .split('|')
      .map((cell) => '-'.repeat(cell.length))
      .join('|') +
    '|';
  const lines = steps.map((step) => {
    const baseline = step.baseline;
    const service = step.service;
    if (!service) {
      return `| ${step.calls} | (${pair(baseline?.callerToProvider)}) | (${pair(baseline?.providerToCaller)}) | (${fmt(baseline?.resources.cpuPercent, 0)}) | - | - | - | ${baseline ? baseline.lossCallerToProvider.lost + baseline.lossProviderToCaller.lost : '-'}/- | - | - | - | - | ${step.broken ? `no: ${step.breakReasons.join('; ')}` : 'yes'} |`;
    }
    const cells = [
      String(step.calls),
      `${pair(service.callerToProvider)} (${pair(baseline?.callerToProvider)})`,
      `${pair(service.providerToCaller)} (${pair(baseline?.providerToCaller)})`,
      `${fmt(service.resources.cpuPercent, 0)} (${fmt(baseline?.resources.cpuPercent, 0)})`,
      `${fmt(step.ratios.cpu, 2)}x`,
      mb(service.resources.rssKb),
      fmt(service.resources.rssKbPerCall, 0),
      `${service.lossCallerToProvider.lost + service.lossProviderToCaller.lost}/${service.lossCallerToProvider.reordered + service.lossProviderToCaller.reordered}`,
      pair(service.handoff),
      pair(service.toolRoundTrip),
      service.postCall ? `${fmt(service.postCall.p50Ms, 0)} / ${fmt(service.postCall.p95Ms, 0)}` : '-',
      service.postCall ? fmt(service.postCall.summariesPerSecond) : '-',
      step.broken
        ? `no: ${step.breakReasons.join('; ')}${step.atCapacity ? `; at capacity: ${refusedCount(service)} refused` : ''}`
        : step.atCapacity
          ? `at capacity: ${service.opened} carried, ${refusedCount(service)} refused`
          : 'yes',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}
