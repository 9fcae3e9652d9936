import { LatencyHistogram, LatencySummary } from './latency-histogram';
import { LossTotals } from './sequence-tracker';
import { StallSnapshot } from './stall-recorder';

/*
 * The fault run's verdict (issue: "a load run with a Redis blip and one 100 KB tool argument
 * where no live call's audio stalls more than 100 ms and every call is summarised"): the
 * figures it is judged on, the judgement, and the text printed.
 */

/** One direction of audio over the service's hold. Times are seconds into the hold. */
export interface DirectionFigures {
  /** Added latency of the latest frame: the worst stall any live call heard. */
  maxMs: number | null;
  p99Ms: number | null;
  frames: number;
  worstAtSeconds: number | null;
  worstCall: number | null;
  /** The longest wait between two frames of one call (20 ms when nothing stalls); includes the sender's own hiccups. */
  maxGapMs: number | null;
  maxGapAtSeconds: number | null;
  maxGapCall: number | null;
  /** p99 over calls of each call's longest wait. */
  perCallMaxGapP99Ms: number | null;
  lost: number;
  reordered: number;
  /** Streams that ended without their last frame (loss unknown). */
  incomplete: number;
  /** Index = whole seconds into the hold. */
  perSecondMaxLatencyMs: number[];
  perSecondMaxGapMs: number[];
}

export interface RedisBlipFigures {
  requestedAtSeconds: number;
  requestedSeconds: number;
  /** null: it never began (the hold ended first, or the proxy failed). */
  startedAtSeconds: number | null;
  lastedSeconds: number | null;
  connectionsDropped: number | null;
  /** The service's first new Redis connection after the blip, ms after it ended. */
  firstReconnectAfterMs: number | null;
  /** Calls that hung up during the blip. */
  callsEndedDuring: number;
  error?: string;
}

export interface BigToolFigures {
  requestedChars: number;
  requestedAtSeconds: number;
  sent: boolean;
  sentAtSeconds: number | null;
  callIndex: number | null;
  argumentChars: number | null;
  /** The whole tool.call frame on the wire. */
  messageBytes: number | null;
  answered: boolean;
  roundTripMs: number | null;
  resultChars: number | null;
  /** The result's error code (e.g. order_not_found), null for a plain result. */
  resultError: string | null;
  /** Why it was not sent. */
  reason?: string;
}

export interface FaultSummaryFigures {
  /** Calls placed and carried: each must have its summary. */
  expected: number;
  written: number;
  missingSample: string[];
  endedDuringBlip: number;
  writtenOfEndedDuringBlip: number;
  timeoutSeconds: number;
  p95Ms: number | null;
  maxMs: number | null;
  error?: string;
}

export interface FaultFigures {
  calls: number;
  holdSeconds: number;
  stallLimitMs: number;
  callsPlaced: number;
  /** Calls that failed to open or were refused (they were not live, so not judged, but named). */
  callsNotCarried: number;
  callerToProvider: DirectionFigures;
  providerToCaller: DirectionFigures;
  /** Non-zero audio failure counters: frames to the wrong call, sockets closed mid-call (either side), missing last frames. */
  audioErrors: Record<string, number>;
  /** Non-zero other failure counters (tool errors, refused handoffs, unexpected messages). */
  otherErrors: Record<string, number>;
  summaries: FaultSummaryFigures;
  redisBlip: RedisBlipFigures | null;
  bigToolCall: BigToolFigures | null;
  /** The same load through the bare forwarder, without faults: the machine's own worst frame. */
  baselineMaxMs: { callerToProvider: number | null; providerToCaller: number | null } | null;
  harness: {
    peerPacerMaxLagMs: number;
    loadGeneratorPacerMaxLagMs: number;
    machineBusyPercent: number | null;
    otherCpuPercent: number | null;
    stealPercent: number | null;
  };
}

export interface FaultVerdict {
  passed: boolean;
  /** Why it failed (empty when it passed). */
  reasons: string[];
  /** Worth knowing, not failing. */
  notes: string[];
}

const AUDIO_ERROR_KEYS = ['misroutedFrames', 'closedByRemote', 'closedWithoutEnd', 'finalMarkerMissing', 'foreignFrames'];
const OTHER_ERROR_KEYS = ['toolErrors', 'handoffsRefused', 'unexpectedMessages', 'unexpectedUpdates'];

export function nonZero(counts: Record<string, number>, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((key) => (counts[key] ?? 0) > 0).map((key) => [key, counts[key]]));
}

export function audioErrors(counts: Record<string, number>): Record<string, number> {
  return nonZero(counts, AUDIO_ERROR_KEYS);
}

export function otherErrors(counts: Record<string, number>): Record<string, number> {
  return nonZero(counts, OTHER_ERROR_KEYS);
}

/** One direction's figures from its latency over the hold, its stall record and its loss. */
export function directionFigures(
  latency: LatencySummary,
  stalls: StallSnapshot | undefined,
  loss: LossTotals,
  holdStartAt: number,
): DirectionFigures {
  const seconds = (at: number | undefined): number | null => (at === undefined ? null : (at - holdStartAt) / 1000);
  const gaps = stalls ? LatencyHistogram.fromJSON(stalls.perCallMaxGap).summary() : null;
  // The recorders' windows open a few ms after the hold does: shift their seconds onto the hold's.
  const offset = stalls && stalls.windowStartAt > 0 ? Math.round((stalls.windowStartAt - holdStartAt) / 1000) : 0;
  const shift = (values: number[] | undefined): number[] => [...Array<number>(Math.max(0, offset)).fill(0), ...(values ?? [])];
  return {
    maxMs: latency.max,
    p99Ms: latency.p99,
    frames: latency.count,
    worstAtSeconds: seconds(stalls?.worstLatency?.at),
    worstCall: stalls?.worstLatency?.callIndex ?? null,
    maxGapMs: stalls?.worstGap?.ms ?? null,
    maxGapAtSeconds: seconds(stalls?.worstGap?.at),
    maxGapCall: stalls?.worstGap?.callIndex ?? null,
    perCallMaxGapP99Ms: gaps?.p99 ?? null,
    lost: loss.lost,
    reordered: loss.reordered,
    incomplete: loss.incomplete,
    perSecondMaxLatencyMs: shift(stalls?.perSecondMaxLatencyMs),
    perSecondMaxGapMs: shift(stalls?.perSecondMaxGapMs),
  };
}

/** PASS only if no frame either way arrived later than the limit, none was lost or reordered, and every call placed was summarised. */
export function faultVerdict(figures: FaultFigures): FaultVerdict {
  const reasons: string[] = [];
  const notes: string[] = [];
  const limit = figures.stallLimitMs;
  const directions = [
    ['caller->provider', figures.callerToProvider],
    ['provider->caller', figures.providerToCaller],
  ] as const;
  for (const [name, direction] of directions) {
    if (direction.maxMs === null || direction.frames === 0) {
      reasons.push(`no ${name} audio measured`);
    } else if (direction.maxMs > limit) {
      reasons.push(
        `${name}: a frame arrived ${fmt(direction.maxMs)} ms late (limit ${limit} ms), ${at(direction.worstAtSeconds)} into the hold on call ${direction.worstCall ?? '?'}, ${nearFault(direction.worstAtSeconds, figures)}`,
      );
    }
    if (direction.lost > 0) reasons.push(`${name}: ${direction.lost} frames lost`);
    if (direction.reordered > 0) reasons.push(`${name}: ${direction.reordered} frames reordered`);
    if (direction.incomplete > 0) reasons.push(`${name}: ${direction.incomplete} streams ended without their last frame`);
    if (direction.maxGapMs !== null && direction.maxGapMs > limit + 20 && (direction.maxMs ?? 0) <= limit) {
      notes.push(
        `${name}: one call waited ${fmt(direction.maxGapMs)} ms between two frames ${at(direction.maxGapAtSeconds)} into the hold, but no frame was late by more than ${limit} ms: the sender paused (harness pacer lag max ${fmt(Math.max(figures.harness.peerPacerMaxLagMs, figures.harness.loadGeneratorPacerMaxLagMs))} ms)`,
      );
    }
  }
  const audio = Object.entries(figures.audioErrors);
  if (audio.length) reasons.push(`calls broken: ${audio.map(([key, count]) => `${key} ${count}`).join(', ')}`);
  if (figures.callsNotCarried > 0)
    reasons.push(`${figures.callsNotCarried} of ${figures.calls} calls were not carried (failed to open or refused)`);

  const summaries = figures.summaries;
  if (summaries.error) reasons.push(`summaries: ${summaries.error}`);
  if (summaries.written < summaries.expected) {
    reasons.push(
      `summaries: ${summaries.expected - summaries.written} of ${summaries.expected} calls placed have none in Postgres ${summaries.timeoutSeconds} s after their end` +
        (summaries.endedDuringBlip
          ? ` (${summaries.endedDuringBlip - summaries.writtenOfEndedDuringBlip} of the ${summaries.endedDuringBlip} that hung up during the blip)`
          : '') +
        (summaries.missingSample.length ? `, e.g. ${summaries.missingSample.slice(0, 3).join(', ')}` : ''),
    );
  }

  const blip = figures.redisBlip;
  if (blip) {
    if (blip.startedAtSeconds === null) reasons.push(`the Redis blip did not happen${blip.error ? ` (${blip.error})` : ''}`);
    else if (blip.lastedSeconds === null) reasons.push(`Redis never came back through the proxy${blip.error ? ` (${blip.error})` : ''}`);
    else if (blip.firstReconnectAfterMs === null)
      notes.push('the service did not reconnect to Redis after the blip (no new connection reached the proxy)');
  }
  const big = figures.bigToolCall;
  if (big) {
    if (!big.sent) reasons.push(`the big tool argument was not sent${big.reason ? ` (${big.reason})` : ''}`);
    else if (!big.answered) reasons.push(`the big tool call (${big.argumentChars} characters) was never answered`);
  }

  const other = Object.entries(figures.otherErrors);
  if (other.length) notes.push(`other failures (not judged): ${other.map(([key, count]) => `${key} ${count}`).join(', ')}`);
  const baseline = figures.baselineMaxMs;
  const baselineMax = baseline ? Math.max(baseline.callerToProvider ?? 0, baseline.providerToCaller ?? 0) : 0;
  if (baselineMax > limit)
    notes.push(
      `the bare forwarder, with no fault at all, had a frame ${fmt(baselineMax)} ms late under the same load: the machine alone can break the limit`,
    );
  return { passed: reasons.length === 0, reasons, notes };
}

/** Where a moment of the hold sits against the faults, e.g. "during the Redis blip (1.2 s into it)". */
export function nearFault(atSeconds: number | null, figures: Pick<FaultFigures, 'redisBlip' | 'bigToolCall'>): string {
  if (atSeconds === null) return 'at an unknown time';
  const blip = figures.redisBlip;
  const big = figures.bigToolCall;
  const places: string[] = [];
  if (blip?.startedAtSeconds != null) {
    const start = blip.startedAtSeconds;
    const end = start + (blip.lastedSeconds ?? blip.requestedSeconds);
    if (atSeconds >= start && atSeconds <= end) places.push(`during the Redis blip (${fmt(atSeconds - start)} s into it)`);
    else if (atSeconds > end && atSeconds - end <= 10) places.push(`${fmt(atSeconds - end)} s after the Redis blip ended`);
    else if (atSeconds < start && start - atSeconds <= 1) places.push(`${fmt(start - atSeconds)} s before the Redis blip`);
  }
  if (big?.sentAtSeconds != null && atSeconds >= big.sentAtSeconds && atSeconds - big.sentAtSeconds <= 5) {
    places.push(`${fmt(atSeconds - big.sentAtSeconds, 2)} s after the big tool argument was sent`);
  }
  if (places.length) return places.join(', ');
  const where = [
    blip?.startedAtSeconds != null
      ? `Redis blip at ${fmt(blip.startedAtSeconds)}-${fmt(blip.startedAtSeconds + (blip.lastedSeconds ?? blip.requestedSeconds))} s`
      : '',
    big?.sentAtSeconds != null ? `big argument at ${fmt(big.sentAtSeconds)} s` : '',
  ].filter(Boolean);
  return `away from the faults${where.length ? ` (${where.join(', ')})` : ''}`;
}

/** The seconds of the hold whose latest frame, either way, exceeded `thresholdMs`. */
export function lateSeconds(
  figures: Pick<FaultFigures, 'callerToProvider' | 'providerToCaller'>,
  thresholdMs: number,
): { second: number; callerToProviderMs: number; providerToCallerMs: number }[] {
  const c2p = figures.callerToProvider.perSecondMaxLatencyMs;
  const p2c = figures.providerToCaller.perSecondMaxLatencyMs;
  const seconds: { second: number; callerToProviderMs: number; providerToCallerMs: number }[] = [];
  for (let second = 0; second < Math.max(c2p.length, p2c.length); second++) {
    const a = c2p[second] ?? 0;
    const b = p2c[second] ?? 0;
    if (a > thresholdMs || b > thresholdMs) seconds.push({ second, callerToProviderMs: a, providerToCallerMs: b });
  }
  return seconds;
}

/** The block printed after a fault step. */
export function formatFaultReport(figures: FaultFigures, verdict: FaultVerdict): string {
  const blip = figures.redisBlip;
  const big = figures.bigToolCall;
  const faults = [
    blip ? `Redis blip ${blip.requestedAtSeconds}:${blip.requestedSeconds}` : '',
    big ? `one ${big.requestedChars}-character tool argument at ${fmt(big.requestedAtSeconds)} s` : '',
    blip?.callsEndedDuring ? `${blip.callsEndedDuring} calls hang up during the blip` : '',
  ].filter(Boolean);
  const direction = (name: string, figuresOf: DirectionFigures): string[] => [
    `  ${name}: max ${fmt(figuresOf.maxMs)} ms (p99 ${fmt(figuresOf.p99Ms)} ms, ${figuresOf.frames} frames), worst ${at(figuresOf.worstAtSeconds)} into the hold on call ${figuresOf.worstCall ?? '-'}, ${nearFault(figuresOf.worstAtSeconds, figures)}`,
    `    longest wait between two frames of a call: ${fmt(figuresOf.maxGapMs)} ms (${at(figuresOf.maxGapAtSeconds)}, call ${figuresOf.maxGapCall ?? '-'}; p99 over calls ${fmt(figuresOf.perCallMaxGapP99Ms)} ms; nominal 20 ms)`,
    `    lost / reordered / incomplete streams: ${figuresOf.lost} / ${figuresOf.reordered} / ${figuresOf.incomplete}`,
  ];
  const summaries = figures.summaries;
  const lines = [
    `== Fault run, ${figures.calls} calls, ${figures.holdSeconds} s hold${faults.length ? ` (${faults.join('; ')})` : ''}: ${verdict.passed ? 'PASS' : 'FAIL'}`,
    `  added latency per frame, limit ${figures.stallLimitMs} ms (${figures.baselineMaxMs ? `the bare forwarder, same load, no faults: max ${fmt(figures.baselineMaxMs.callerToProvider)} / ${fmt(figures.baselineMaxMs.providerToCaller)} ms` : 'no bare-forwarder phase'})`,
    ...direction('caller->provider', figures.callerToProvider),
    ...direction('provider->caller', figures.providerToCaller),
    `  calls placed ${figures.callsPlaced}/${figures.calls}; audio failures: ${describeCounts(figures.audioErrors)}; other failures: ${describeCounts(figures.otherErrors)}`,
    `  summaries: ${summaries.written}/${summaries.expected} of the calls placed written within ${summaries.timeoutSeconds} s` +
      (summaries.endedDuringBlip ? ` (hung up during the blip: ${summaries.writtenOfEndedDuringBlip}/${summaries.endedDuringBlip})` : '') +
      `; call end -> summary p95 ${fmt(summaries.p95Ms, 0)} ms, max ${fmt(summaries.maxMs, 0)} ms${summaries.error ? `; ${summaries.error}` : ''}`,
  ];
  if (blip) {
    lines.push(
      blip.startedAtSeconds === null
        ? `  Redis blip: did not happen${blip.error ? ` (${blip.error})` : ''}`
        : `  Redis blip: began ${at(blip.startedAtSeconds)} into the hold, lasted ${blip.lastedSeconds === null ? '(never ended)' : `${fmt(blip.lastedSeconds, 2)} s`}, ${blip.connectionsDropped ?? '?'} connections dropped; ` +
            `the service reconnected ${blip.firstReconnectAfterMs === null ? 'never' : `${fmt(blip.firstReconnectAfterMs, 0)} ms after it ended`}${blip.error ? ` (${blip.error})` : ''}`,
    );
  }
  if (big) {
    lines.push(
      big.sent
        ? `  big tool argument: sent ${at(big.sentAtSeconds)} into the hold on call ${big.callIndex}, order_id of ${big.argumentChars} characters (${big.messageBytes} bytes on the wire); ` +
            (big.answered
              ? `answered in ${fmt(big.roundTripMs)} ms (${big.resultError ?? 'ok'}, ${big.resultChars} characters)`
              : 'never answered')
        : `  big tool argument: not sent${big.reason ? ` (${big.reason})` : ''}`,
    );
  }
  const late = lateSeconds(figures, figures.stallLimitMs / 2);
  if (late.length) {
    lines.push(
      `  seconds with a frame over ${figures.stallLimitMs / 2} ms late (c->p / p->c max ms): ${late
        .slice(0, 15)
        .map((entry) => `${entry.second} s: ${fmt(entry.callerToProviderMs)} / ${fmt(entry.providerToCallerMs)}`)
        .join(', ')}${late.length > 15 ? `, ... (${late.length} seconds)` : ''}`,
    );
  }
  const harness = figures.harness;
  lines.push(
    `  harness: pacer lag max ${fmt(harness.peerPacerMaxLagMs)} ms (peer), ${fmt(harness.loadGeneratorPacerMaxLagMs)} ms (load generator); machine busy ${fmt(harness.machineBusyPercent, 0)} %, other CPU ${fmt(harness.otherCpuPercent, 0)} %, steal ${fmt(harness.stealPercent, 1)} %`,
  );
  for (const reason of verdict.reasons) lines.push(`  FAIL: ${reason}`);
  for (const note of verdict.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([key, count]) => `${key} ${count}`).join(', ') : 'none';
}

function at(seconds: number | null): string {
  return seconds === null ? 'at an unknown time' : `at ${fmt(seconds)} s`;
}

function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}
