import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { benchClock, FRAME_MS, FramePayloadEncoder, findFrameStamp, FrameStamp, startsWith } from './support/bench-frame';
import { seededRandom } from './support/bench-random';
import { bigToolArgumentText } from './support/big-tool-argument';
import { BigToolCallRecord, PeerSnapshot, pushSample } from './support/bench-stats';
import { serveRpc } from './support/child-rpc';
import { EventLoopProbe } from './support/event-loop-probe';
import { FramePacer } from './support/frame-pacer';
import { LatencyHistogram } from './support/latency-histogram';
import { addOutcome, emptyLossTotals, SequenceTracker } from './support/sequence-tracker';
import { CallArrivals, StallRecorder } from './support/stall-recorder';

/*
 * A lean Voice Agent API peer (PROTOCOL.md) for the bench. Per connection it answers
 * session.update with session.ready (session.updated later), reads the stamps in the caller
 * audio, and streams reply audio at real time (one 160-byte frame per 20 ms) with its own
 * stamps. During a hold window it also plays the model: lookup_order tool calls and
 * transfers between triage and billing, timing each one. A connection whose first frame is
 * not session.update is a bare-forwarder connection carrying Twilio frames: audio only.
 * For the fault run it sends, when told, one lookup_order whose order_id is a long realistic
 * text, and times its answer apart from the ordinary tool calls.
 */

type Mode = 'unknown' | 'service' | 'baseline';

interface PendingTool {
  kind: 'lookup' | 'transfer' | 'big';
  sentAt: number;
}

interface PeerCall {
  socket: WebSocket;
  mode: Mode;
  sessionId: string | undefined;
  callIndex: number;
  replySequence: number;
  callerAudio: SequenceTracker;
  arrivals: CallArrivals | undefined;
  streaming: boolean;
  finished: boolean;
  department: 'triage' | 'billing';
  pendingTools: Map<string, PendingTool>;
  transferSentAt: number | undefined;
  actionTimers: NodeJS.Timeout[];
  openedAt: number;
}

interface ActionArgs {
  holdMs: number;
  toolIntervalMs: number;
  transfersPerCall: number;
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const tickMs = Number(argument('tick-ms', '2'));
const INPUT_AUDIO = Buffer.from('{"type":"input.audio"');
const TWILIO_MEDIA = Buffer.from('{"event":"media"');
const REPLY_OPEN = '{"type":"reply.audio","data":"';
const REPLY_CLOSE = '"}';

const encoder = new FramePayloadEncoder();
const calls = new Set<PeerCall>();
const pacer = new FramePacer<PeerCall>(FRAME_MS, tickMs, sendReplyFrame);
const eventLoop = new EventLoopProbe();
const stalls = new StallRecorder();
let sessionCounter = 0;
let toolCounter = 0;

const histograms = {
  callerToProvider: new LatencyHistogram(),
  handoff: new LatencyHistogram(),
  toolRoundTrip: new LatencyHistogram(),
  transferResult: new LatencyHistogram(),
};
let loss = emptyLossTotals();
let errorSamples: string[] = [];
const freshCounts = (): PeerSnapshot['counts'] => ({
  audioFramesReceived: 0,
  replyFramesSent: 0,
  foreignFrames: 0,
  misroutedFrames: 0,
  toolCallsSent: 0,
  toolResults: 0,
  toolErrors: 0,
  transfersSent: 0,
  handoffsObserved: 0,
  transferResults: 0,
  handoffsRefused: 0,
  unexpectedUpdates: 0,
  unexpectedMessages: 0,
  closedWithoutEnd: 0,
});
let counts = freshCounts();
let bigArgument: string | undefined;
let bigToolCall: BigToolCallRecord | null = null;

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  skipUTF8Validation: true,
  maxPayload: 4 * 1024 * 1024,
});

server.on('connection', (socket) => {
  const call: PeerCall = {
    socket,
    mode: 'unknown',
    sessionId: undefined,
    callIndex: -1,
    replySequence: 0,
    callerAudio: new SequenceTracker(),
    arrivals: undefined,
    streaming: false,
    finished: false,
    department: 'triage',
    pendingTools: new Map(),
    transferSentAt: undefined,
    actionTimers: [],
    openedAt: benchClock(),
  };
  calls.add(call);
  socket.on('message', (data: Buffer) => onFrame(call, data));
  socket.on('close', () => onClose(call));
  socket.on('error', (error) => pushSample(errorSamples, `peer socket error: ${error.message}`));
});

function onFrame(call: PeerCall, data: Buffer): void {
  const now = benchClock();
  if (startsWith(data, INPUT_AUDIO) || startsWith(data, TWILIO_MEDIA)) {
    if (call.mode === 'unknown') call.mode = 'baseline';
    const stamp = findFrameStamp(data);
    if (stamp) onCallerAudio(call, stamp, now);
    else counts.foreignFrames++;
    return;
  }
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  } catch {
    counts.unexpectedMessages++;
    pushSample(errorSamples, `peer: frame that is not JSON: ${data.toString('utf8', 0, 120)}`);
    return;
  }
  if (call.mode === 'unknown') call.mode = message.type === 'session.update' ? 'service' : 'baseline';
  if (call.mode === 'baseline') return; // Twilio connected/start/stop through the forwarder: nothing to answer.
  switch (message.type) {
    case 'session.update':
      return onSessionUpdate(call, now);
    case 'tool.result':
      return onToolResult(call, message, now);
    case 'session.end':
      send(call, JSON.stringify({ type: 'session.ended', session_duration_seconds: Math.round((now - call.openedAt) / 1000) }));
      call.socket.close(1000);
      return;
    case 'reply.create':
      return;
    default:
      counts.unexpectedMessages++;
      pushSample(errorSamples, `peer: unexpected ${String(message.type)}`);
  }
}

function onSessionUpdate(call: PeerCall, now: number): void {
  if (call.sessionId === undefined) {
    call.sessionId = `bench-session-${++sessionCounter}`;
    send(call, JSON.stringify({ type: 'session.ready', session_id: call.sessionId }));
    return;
  }
  if (call.transferSentAt !== undefined) {
    histograms.handoff.recordMs(now - call.transferSentAt);
    counts.handoffsObserved++;
    call.transferSentAt = undefined;
  } else {
    counts.unexpectedUpdates++;
  }
  send(call, '{"type":"session.updated"}');
}

function onCallerAudio(call: PeerCall, stamp: FrameStamp, now: number): void {
  counts.audioFramesReceived++;
  if (call.callIndex < 0) {
    call.callIndex = stamp.callIndex;
    call.arrivals = stalls.open(call.callIndex);
    startReplying(call);
  } else if (stamp.callIndex !== call.callIndex) {
    counts.misroutedFrames++;
    pushSample(errorSamples, `peer: call ${call.callIndex} received a frame of call ${stamp.callIndex}`);
    return;
  }
  histograms.callerToProvider.recordMs(now - stamp.sentAt);
  if (call.arrivals) stalls.observe(call.arrivals, now - stamp.sentAt, now);
  call.callerAudio.observe(stamp.sequence);
  if (stamp.last) finishCall(call, stamp.sequence);
}

function startReplying(call: PeerCall): void {
  call.streaming = true;
  pacer.add(call);
  if (call.mode === 'service') {
    send(call, '{"type":"reply.started","reply_id":"greeting"}');
    send(call, '{"type":"transcript.agent","text":"Hi, this is Avery from Acme support. How can I help?"}');
  }
}

/** The caller's last frame arrived: stop replying and send ours, stamped LAST with the count. */
function finishCall(call: PeerCall, lastSequence: number): void {
  if (call.finished) return;
  call.finished = true;
  if (call.arrivals) stalls.close(call.arrivals);
  addOutcome(loss, call.callerAudio.finish(lastSequence));
  stopActions(call);
  pacer.remove(call);
  call.streaming = false;
  send(
    call,
    REPLY_OPEN +
      encoder.encode({ last: true, callIndex: call.callIndex, sequence: call.replySequence++, sentAt: benchClock() }) +
      REPLY_CLOSE,
  );
}

function sendReplyFrame(call: PeerCall): void {
  if (call.socket.readyState !== WebSocket.OPEN) return;
  call.socket.send(
    REPLY_OPEN +
      encoder.encode({ last: false, callIndex: call.callIndex, sequence: call.replySequence++, sentAt: benchClock() }) +
      REPLY_CLOSE,
  );
  counts.replyFramesSent++;
}

function onToolResult(call: PeerCall, message: Record<string, unknown>, now: number): void {
  const callId = typeof message.call_id === 'string' ? message.call_id : '';
  const pending = call.pendingTools.get(callId);
  if (!pending) {
    counts.unexpectedMessages++;
    pushSample(errorSamples, `peer: tool.result for unknown call_id ${callId}`);
    return;
  }
  call.pendingTools.delete(callId);
  const result = typeof message.result === 'string' ? message.result : '';
  if (pending.kind === 'big') {
    if (bigToolCall?.callId === callId)
      Object.assign(bigToolCall, {
        answered: true,
        roundTripMs: now - pending.sentAt,
        resultChars: result.length,
        resultError: errorCode(result),
      });
    return;
  }
  const failed = resultIsError(result);
  if (pending.kind === 'lookup') {
    histograms.toolRoundTrip.recordMs(now - pending.sentAt);
    counts.toolResults++;
    if (failed) {
      counts.toolErrors++;
      pushSample(errorSamples, `peer: lookup_order answered ${result.slice(0, 200)}`);
    }
  } else {
    histograms.transferResult.recordMs(now - pending.sentAt);
    counts.transferResults++;
    if (failed) {
      counts.handoffsRefused++;
      call.transferSentAt = undefined;
      pushSample(errorSamples, `peer: transfer answered ${result.slice(0, 200)}`);
    }
  }
}

function resultIsError(result: string): boolean {
  try {
    const parsed = JSON.parse(result) as Record<string, unknown>;
    return typeof parsed !== 'object' || parsed === null || 'error' in parsed;
  } catch {
    return true;
  }
}

/** The error code of a tool result (e.g. order_not_found), null when it has none. */
function errorCode(result: string): string | null {
  try {
    const parsed = JSON.parse(result) as Record<string, unknown>;
    return typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String(parsed.error) : null;
  } catch {
    return 'not JSON';
  }
}

/** Built before the hold, so making 100 KB of text does not pause this peer's pacer mid-hold. */
function prepareBigToolCall(args: { chars: number }): { chars: number } {
  bigArgument = bigToolArgumentText(args.chars);
  bigToolCall = null;
  return { chars: bigArgument.length };
}

/** One lookup_order with the prepared order_id, on the most recently opened streaming service call. */
function sendBigToolCall(): BigToolCallRecord {
  const candidates = [...calls].filter((call) => call.mode === 'service' && call.streaming && call.socket.readyState === WebSocket.OPEN);
  const call = candidates.reduce<PeerCall | undefined>(
    (latest, candidate) => (latest && latest.callIndex > candidate.callIndex ? latest : candidate),
    undefined,
  );
  if (!bigArgument || !call) {
    bigToolCall = {
      sent: false,
      reason: bigArgument ? 'no service call was streaming' : 'not prepared',
      callId: '',
      callIndex: null,
      sentAt: null,
      argumentChars: null,
      messageBytes: null,
      answered: false,
      roundTripMs: null,
      resultChars: null,
      resultError: null,
    };
    return bigToolCall;
  }
  const callId = `bench-big-tool-${++toolCounter}`;
  const message = JSON.stringify({ type: 'tool.call', call_id: callId, name: 'lookup_order', arguments: { order_id: bigArgument } });
  send(call, '{"type":"transcript.user","text":"Let me read you everything I have about my order."}');
  const sentAt = benchClock();
  call.pendingTools.set(callId, { kind: 'big', sentAt });
  send(call, message);
  send(call, '{"type":"reply.done"}');
  send(call, `{"type":"reply.started","reply_id":"${callId}"}`);
  bigToolCall = {
    sent: true,
    callId,
    callIndex: call.callIndex,
    sentAt,
    argumentChars: bigArgument.length,
    messageBytes: Buffer.byteLength(message),
    answered: false,
    roundTripMs: null,
    resultChars: null,
    resultError: null,
  };
  return bigToolCall;
}

function lookupOrder(call: PeerCall): void {
  if (!call.streaming || call.socket.readyState !== WebSocket.OPEN) return;
  const callId = `bench-tool-${++toolCounter}`;
  send(call, '{"type":"transcript.user","text":"Where is my order ORD-12345?"}');
  call.pendingTools.set(callId, { kind: 'lookup', sentAt: benchClock() });
  send(call, JSON.stringify({ type: 'tool.call', call_id: callId, name: 'lookup_order', arguments: { order_id: 'ORD-12345' } }));
  send(call, '{"type":"reply.done"}');
  send(call, `{"type":"reply.started","reply_id":"${callId}"}`);
  counts.toolCallsSent++;
}

function transfer(call: PeerCall): void {
  if (!call.streaming || call.socket.readyState !== WebSocket.OPEN || call.transferSentAt !== undefined) return;
  const target = call.department === 'triage' ? 'billing' : 'triage';
  const callId = `bench-transfer-${++toolCounter}`;
  const sentAt = benchClock();
  call.pendingTools.set(callId, { kind: 'transfer', sentAt });
  call.transferSentAt = sentAt;
  send(
    call,
    JSON.stringify({
      type: 'tool.call',
      call_id: callId,
      name: `transfer_to_${target}`,
      arguments: { reason: `caller needs ${target}`, summary: 'Caller Jane asks about a charge on order ORD-12345.' },
    }),
  );
  send(call, '{"type":"reply.done"}');
  send(call, `{"type":"reply.started","reply_id":"${callId}"}`);
  call.department = target;
  counts.transfersSent++;
}

function scheduleActions(call: PeerCall, args: ActionArgs): void {
  const random = seededRandom(call.callIndex * 7919 + 17);
  const schedule = (atMs: number, action: () => void): void => {
    if (atMs >= args.holdMs) return;
    call.actionTimers.push(setTimeout(action, Math.max(0, atMs)));
  };
  for (let at = random() * args.toolIntervalMs; at < args.holdMs; at += args.toolIntervalMs) {
    schedule(at, () => lookupOrder(call));
  }
  // Transfers spread over the window: triage -> billing, then (if asked) billing -> triage.
  const span = args.holdMs / Math.max(1, args.transfersPerCall);
  for (let index = 0; index < args.transfersPerCall; index++) {
    schedule(index * span + (0.05 + 0.85 * random()) * span, () => transfer(call));
  }
}

function stopActions(call: PeerCall): void {
  for (const timer of call.actionTimers) clearTimeout(timer);
  call.actionTimers = [];
}

function onClose(call: PeerCall): void {
  calls.delete(call);
  if (call.arrivals) stalls.close(call.arrivals);
  pacer.remove(call);
  stopActions(call);
  if (call.callIndex >= 0 && !call.finished) {
    counts.closedWithoutEnd++;
    loss.incomplete++;
  }
}

function send(call: PeerCall, text: string): void {
  if (call.socket.readyState === WebSocket.OPEN) call.socket.send(text);
}

function resetLatency(): void {
  for (const histogram of Object.values(histograms)) histogram.reset();
  pacer.resetStats();
  eventLoop.reset();
  stalls.begin(benchClock());
}

function snapshot(): PeerSnapshot {
  let streaming = 0;
  let serviceSessions = 0;
  let baselineConnections = 0;
  let gaps = 0;
  for (const call of calls) {
    if (call.streaming) streaming++;
    if (call.mode === 'service') serviceSessions++;
    if (call.mode === 'baseline') baselineConnections++;
    gaps += call.callerAudio.gapsSoFar();
  }
  return {
    connections: calls.size,
    streaming,
    serviceSessions,
    baselineConnections,
    callerToProvider: histograms.callerToProvider.toJSON(),
    handoff: histograms.handoff.toJSON(),
    toolRoundTrip: histograms.toolRoundTrip.toJSON(),
    transferResult: histograms.transferResult.toJSON(),
    loss: { ...loss },
    gapsInLiveStreams: gaps,
    counts: { ...counts },
    errorSamples: [...errorSamples],
    pacer: pacer.snapshot(),
    eventLoop: eventLoop.snapshot(),
    stalls: stalls.snapshot(),
    bigToolCall: bigToolCall ? { ...bigToolCall } : null,
  };
}

server.on('listening', () => {
  const port = (server.address() as AddressInfo).port;
  serveRpc(
    {
      /** A new phase: loss totals and every counter start from zero. */
      reset: () => {
        resetLatency();
        loss = emptyLossTotals();
        counts = freshCounts();
        errorSamples = [];
        bigToolCall = null;
        return { connections: calls.size };
      },
      /** The measurement window starts: latency histograms from zero. */
      beginHold: () => {
        resetLatency();
        return { streaming: [...calls].filter((call) => call.streaming).length };
      },
      /** Tool calls and transfers spread over the next holdMs, on every streaming service call. */
      beginActions: (args: ActionArgs) => {
        let scheduled = 0;
        for (const call of calls) {
          if (call.mode !== 'service' || !call.streaming) continue;
          scheduleActions(call, args);
          scheduled++;
        }
        return { scheduled };
      },
      prepareBigToolCall,
      sendBigToolCall,
      endHold: () => {
        for (const call of calls) stopActions(call);
        return {};
      },
      snapshot,
      /** Caller -> provider latency so far, then from zero again (the hold's first half). */
      takeRelayLatency: () => {
        const json = histograms.callerToProvider.toJSON();
        histograms.callerToProvider.reset();
        return json;
      },
      status: () => ({ connections: calls.size, streaming: [...calls].filter((call) => call.streaming).length }),
    },
    { ready: true, port },
  );
});
