import { LatencySummary } from '../../../bench/support/latency-histogram';
import { emptyLossTotals } from '../../../bench/support/sequence-tracker';
import { PhaseResult, PostCallFigures, StepResult } from '../../../bench/support/step-report';

export const latency = (p50: number, p99: number, count = 100): LatencySummary => ({ count, p50, p95: p99, p99, max: p99, mean: p50 });

export const postCall = (overrides: Partial<PostCallFigures> = {}): PostCallFigures => ({
  calls: 100,
  endRatePerSecond: 50,
  summarised: 100,
  missing: 0,
  p50Ms: 300,
  p95Ms: 800,
  maxMs: 900,
  summariesPerSecond: 48,
  peakSummariesPerSecond: 52,
  ...overrides,
});

export const phase = (overrides: Partial<PhaseResult> = {}): PhaseResult => ({
  target: 'service',
  calls: 100,
  opened: 100,
  openFailures: 0,
  callerToProvider: latency(0.5, 3),
  providerToCaller: latency(0.5, 3),
  relayByHalf: {
    audioOnly: { callerToProvider: latency(0.5, 2), providerToCaller: latency(0.5, 2) },
    withActions: { callerToProvider: latency(0.5, 4), providerToCaller: latency(0.5, 4) },
  },
  handoff: latency(2, 8),
  toolRoundTrip: latency(3, 9),
  transferResult: latency(2, 8),
  resources: { cpuPercent: 30, cpuPercentWithActions: 34, rssKb: 200_000, rssIdleKb: 150_000, cpuPercentPerCall: 0.3, rssKbPerCall: 500 },
  harness: {
    peerCpuPercent: 10,
    loadGeneratorCpuPercent: 10,
    machineBusyPercent: 30,
    otherCpuPercent: 5,
    postgresCpuPercent: 3,
    redisCpuPercent: 2,
    stealPercent: 0.5,
    peerEventLoopP99Ms: 1,
    loadGeneratorEventLoopP99Ms: 1,
    peerPacerMaxLagMs: 1,
    loadGeneratorPacerMaxLagMs: 1,
    skippedFrames: 0,
  },
  lossCallerToProvider: { ...emptyLossTotals(), streams: 100 },
  lossProviderToCaller: { ...emptyLossTotals(), streams: 100 },
  errors: 0,
  errorSamples: [],
  counts: {},
  postCall: postCall(),
  ...overrides,
});

export const baselinePhase = (overrides: Partial<PhaseResult> = {}): PhaseResult =>
  phase({ target: 'baseline', handoff: null, toolRoundTrip: null, transferResult: null, postCall: null, resources: { cpuPercent: 25, cpuPercentWithActions: null, rssKb: 60_000, rssIdleKb: 50_000, cpuPercentPerCall: 0.25, rssKbPerCall: 100 }, ...overrides });

export const step = (calls: number, overrides: Partial<StepResult> = {}): StepResult => ({
  calls,
  holdSeconds: 20,
  service: phase({ calls, opened: calls }),
  baseline: baselinePhase({ calls, opened: calls }),
  ratios: { cpu: 1.2, callerToProviderP99: 1.5, providerToCallerP99: 1.5 },
  broken: false,
  breakReasons: [],
  ...overrides,
});
