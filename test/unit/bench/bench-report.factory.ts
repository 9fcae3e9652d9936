import { DirectionFigures, FaultFigures } from '../../../bench/support/fault-report';
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
  phase({
    target: 'baseline',
    handoff: null,
    toolRoundTrip: null,
    transferResult: null,
    postCall: null,
    resources: {
      cpuPercent: 25,
      cpuPercentWithActions: null,
      rssKb: 60_000,
      rssIdleKb: 50_000,
      cpuPercentPerCall: 0.25,
      rssKbPerCall: 100,
    },
    ...overrides,
  });

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

export const direction = (overrides: Partial<DirectionFigures> = {}): DirectionFigures => ({
  maxMs: 30,
  p99Ms: 8,
  frames: 300_000,
  worstAtSeconds: 12.5,
  worstCall: 7,
  maxGapMs: 45,
  maxGapAtSeconds: 12.5,
  maxGapCall: 7,
  perCallMaxGapP99Ms: 40,
  lost: 0,
  reordered: 0,
  incomplete: 0,
  perSecondMaxLatencyMs: [5, 6, 30],
  perSecondMaxGapMs: [22, 23, 45],
  ...overrides,
});

export const faultFigures = (overrides: Partial<FaultFigures> = {}): FaultFigures => ({
  calls: 100,
  holdSeconds: 60,
  stallLimitMs: 100,
  callsPlaced: 100,
  callsNotCarried: 0,
  callerToProvider: direction(),
  providerToCaller: direction(),
  audioErrors: {},
  otherErrors: {},
  summaries: {
    expected: 100,
    written: 100,
    missingSample: [],
    endedDuringBlip: 10,
    writtenOfEndedDuringBlip: 10,
    timeoutSeconds: 60,
    p95Ms: 900,
    maxMs: 6000,
  },
  redisBlip: {
    requestedAtSeconds: 35,
    requestedSeconds: 5,
    startedAtSeconds: 35.01,
    lastedSeconds: 5.002,
    connectionsDropped: 7,
    firstReconnectAfterMs: 180,
    callsEndedDuring: 10,
  },
  bigToolCall: {
    requestedChars: 100_000,
    requestedAtSeconds: 15,
    sent: true,
    sentAtSeconds: 15.002,
    callIndex: 99,
    argumentChars: 100_000,
    messageBytes: 100_070,
    answered: true,
    roundTripMs: 40,
    resultChars: 100_200,
    resultError: 'order_not_found',
  },
  baselineMaxMs: { callerToProvider: 20, providerToCaller: 22 },
  harness: { peerPacerMaxLagMs: 4, loadGeneratorPacerMaxLagMs: 5, machineBusyPercent: 60, otherCpuPercent: 5, stealPercent: 0.2 },
  ...overrides,
});
