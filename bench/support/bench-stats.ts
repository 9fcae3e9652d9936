import { EventLoopDelay } from './event-loop-probe';
import { PacerStats } from './frame-pacer';
import { HistogramJson } from './latency-histogram';
import { LossTotals } from './sequence-tracker';
import { StallSnapshot } from './stall-recorder';

/** What the provider peer reports (JSON over IPC). */
export interface PeerSnapshot {
  connections: number;
  streaming: number;
  serviceSessions: number;
  baselineConnections: number;
  /** caller -> provider one-way latency, hold window only. */
  callerToProvider: HistogramJson;
  /** transfer tool.call sent -> session.update received. */
  handoff: HistogramJson;
  /** lookup_order tool.call sent -> tool.result received. */
  toolRoundTrip: HistogramJson;
  /** transfer tool.call sent -> its tool.result received. */
  transferResult: HistogramJson;
  /** caller -> provider loss, streams finished since the phase began. */
  loss: LossTotals;
  gapsInLiveStreams: number;
  counts: {
    audioFramesReceived: number;
    replyFramesSent: number;
    foreignFrames: number;
    misroutedFrames: number;
    toolCallsSent: number;
    toolResults: number;
    toolErrors: number;
    transfersSent: number;
    handoffsObserved: number;
    transferResults: number;
    handoffsRefused: number;
    unexpectedUpdates: number;
    unexpectedMessages: number;
    closedWithoutEnd: number;
  };
  errorSamples: string[];
  pacer: PacerStats;
  eventLoop: EventLoopDelay;
  /** caller -> provider: the latest frame, each call's longest wait between frames, per second, since the hold began. */
  stalls: StallSnapshot;
  /** The fault run's big lookup_order, once sent. */
  bigToolCall: BigToolCallRecord | null;
}

/** The one lookup_order with a very long order_id (fault run), as the peer sent it and saw it answered. */
export interface BigToolCallRecord {
  sent: boolean;
  reason?: string;
  callId: string;
  callIndex: number | null;
  /** Bench clock (epoch ms). */
  sentAt: number | null;
  argumentChars: number | null;
  messageBytes: number | null;
  answered: boolean;
  roundTripMs: number | null;
  resultChars: number | null;
  resultError: string | null;
}

/** What the load generator (the Twilio callers) reports. */
export interface CallerSnapshot {
  active: number;
  /** provider -> caller one-way latency, hold window only. */
  providerToCaller: HistogramJson;
  /** provider -> caller loss, calls ended since the phase began. */
  loss: LossTotals;
  gapsInLiveStreams: number;
  counts: {
    opened: number;
    openFailures: number;
    mediaFramesSent: number;
    mediaFramesReceived: number;
    otherFramesReceived: number;
    foreignFrames: number;
    misroutedFrames: number;
    closedByRemote: number;
    finalMarkerMissing: number;
    sendBackpressure: number;
    /** Busy TwiML from the webhook (admission control). */
    refusedAtWebhook: number;
    /** Media Stream closed with 1013 at start (admission control). */
    refusedAtStream: number;
  };
  errorSamples: string[];
  pacer: PacerStats;
  eventLoop: EventLoopDelay;
  /** provider -> caller: the latest frame, each call's longest wait between frames, per second, since the hold began. */
  stalls: StallSnapshot;
}

export interface OpenCallsResult {
  /** Media Streams opened (a stream may still be refused at start: see CallerStatus). */
  opened: number;
  failed: number;
  /** Busy TwiML from the webhook. */
  refused: number;
  durationMs: number;
  errorSamples: string[];
}

export interface CallerStatus {
  active: number;
  refusedAtWebhook: number;
  refusedAtStream: number;
}

export interface EndedCall {
  callSid: string;
  /** bench clock (epoch ms) when `stop` was sent. */
  stopAt: number;
}

export interface EndCallsResult {
  ended: EndedCall[];
  durationMs: number;
}

export function pushSample(samples: string[], message: string, limit = 10): void {
  if (samples.length < limit) samples.push(message.slice(0, 300));
}
