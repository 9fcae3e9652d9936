import { randomBytes } from 'node:crypto';
import http from 'node:http';
import WebSocket from 'ws';
import { parseConnectStreamTwiml } from '../src/simulator/twiml.parser';
import { benchClock, FRAME_MS, FramePayloadEncoder, findFrameStamp } from './support/bench-frame';
import { isBusyTwiml, isRefusedStream } from './support/call-refusal';
import { CallerSnapshot, EndCallsResult, EndedCall, OpenCallsResult, pushSample } from './support/bench-stats';
import { serveRpc } from './support/child-rpc';
import { EventLoopProbe } from './support/event-loop-probe';
import { FramePacer } from './support/frame-pacer';
import { LatencyHistogram } from './support/latency-histogram';
import { addOutcome, emptyLossTotals, SequenceTracker } from './support/sequence-tracker';
import { CallArrivals, StallRecorder } from './support/stall-recorder';

/*
 * Many Twilio callers in one process, lean enough for thousands of calls: the voice webhook
 * (form POST, CallSid 'CA' + 32 hex), the <Stream url> and its <Parameter>s from the TwiML,
 * then a Media Stream socket with connected, start, a stamped 20 ms media frame per call
 * (one shared pacer, calls spread over the period), and stop. It reads the stamps of the
 * audio coming back to measure provider -> caller latency, loss and reordering.
 *
 * A call the service turns away is refused, not failed: busy TwiML (<Reject reason="busy"/>)
 * from the webhook, or the Media Stream closed with 1013 (try again later) at `start`. Refused
 * calls are counted apart; they carry no audio, so they lose no frames.
 *
 * A call ends in two steps so no frame is in flight when it is counted: the caller sends a
 * media frame stamped LAST, the peer answers with its own LAST frame (its count), then the
 * caller sends `stop` and closes.
 */

type Target = 'service' | 'baseline';

interface OpenArgs {
  target: Target;
  /** service: http://127.0.0.1:PORT (webhook first); baseline: the forwarder's ws:// URL. */
  url: string;
  count: number;
  ratePerSec: number;
  timeoutMs?: number;
}

interface EndArgs {
  ratePerSec: number;
  finalTimeoutMs?: number;
  /** End only this many of the live calls, oldest first (the fault run's hang-ups during a Redis blip); default: all. */
  count?: number;
}

interface Caller {
  index: number;
  callSid: string;
  streamSid: string;
  socket: WebSocket;
  sequence: number;
  twilioSequence: number;
  received: SequenceTracker;
  arrivals: CallArrivals;
  finalSequence: number | undefined;
  ending: boolean;
  closed: boolean;
  /** Audio came back: the call was taken (a refusal can only come before). */
  answered: boolean;
  refused: boolean;
  onChange: (() => void) | undefined;
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const tickMs = Number(argument('tick-ms', '2'));
const ACCOUNT_SID = `AC${'0b'.repeat(16)}`;
const encoder = new FramePayloadEncoder();
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const callers = new Set<Caller>();
const pacer = new FramePacer<Caller>(FRAME_MS, tickMs, sendMedia);
const eventLoop = new EventLoopProbe();
const providerToCaller = new LatencyHistogram();
const stalls = new StallRecorder();
/** Calls whose Media Stream opened in this phase (a refusal at start is marked on the caller). */
let placed: Caller[] = [];
let nextIndex = 0;
let loss = emptyLossTotals();
let errorSamples: string[] = [];
const freshCounts = (): CallerSnapshot['counts'] => ({
  opened: 0,
  openFailures: 0,
  mediaFramesSent: 0,
  mediaFramesReceived: 0,
  otherFramesReceived: 0,
  foreignFrames: 0,
  misroutedFrames: 0,
  closedByRemote: 0,
  finalMarkerMissing: 0,
  sendBackpressure: 0,
  refusedAtWebhook: 0,
  refusedAtStream: 0,
});
let counts = freshCounts();

function mediaFrame(caller: Caller, last: boolean): string {
  const sequence = caller.sequence++;
  const payload = encoder.encode({ last, callIndex: caller.index, sequence, sentAt: benchClock() });
  return `{"event":"media","sequenceNumber":"${caller.twilioSequence++}","media":{"track":"inbound","chunk":"${sequence + 1}","timestamp":"${sequence * FRAME_MS}","payload":"${payload}"},"streamSid":"${caller.streamSid}"}`;
}

function sendMedia(caller: Caller): void {
  const socket = caller.socket;
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > 64 * 1024) counts.sendBackpressure++;
  socket.send(mediaFrame(caller, false));
  counts.mediaFramesSent++;
}

function postVoiceWebhook(baseUrl: string, form: Record<string, string>, timeoutMs: number): Promise<string> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/twilio/voice`,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'TwilioProxy/1.1',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode === 200) resolve(text);
          else reject(new Error(`POST /twilio/voice answered ${response.statusCode}: ${text.slice(0, 200)}`));
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`POST /twilio/voice: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

async function openCall(args: OpenArgs, timeoutMs: number): Promise<'opened' | 'refused'> {
  const index = nextIndex++;
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const streamSid = `MZ${randomBytes(16).toString('hex')}`;
  const from = `+1555${String(index % 10_000_000).padStart(7, '0')}`;
  const to = '+15557654321';
  let url = args.url;
  let parameters: Record<string, string> = { from, to, callSid };
  if (args.target === 'service') {
    const twiml = await postVoiceWebhook(
      args.url,
      {
        AccountSid: ACCOUNT_SID,
        ApiVersion: '2010-04-01',
        CallSid: callSid,
        CallStatus: 'ringing',
        Direction: 'inbound',
        From: from,
        To: to,
        Caller: from,
        Called: to,
      },
      timeoutMs,
    );
    if (isBusyTwiml(twiml)) {
      counts.refusedAtWebhook++;
      return 'refused';
    }
    const stream = parseConnectStreamTwiml(twiml);
    url = stream.url;
    parameters = stream.parameters;
  }
  const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: timeoutMs });
  const caller: Caller = {
    index,
    callSid,
    streamSid,
    socket,
    sequence: 0,
    twilioSequence: 1,
    received: new SequenceTracker(0),
    arrivals: stalls.open(index),
    finalSequence: undefined,
    ending: false,
    closed: false,
    answered: false,
    refused: false,
    onChange: undefined,
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      reject(new Error(`Media Stream upgrade answered ${response.statusCode}`));
    });
  });
  socket.on('error', (error) => pushSample(errorSamples, `caller ${index}: socket error ${error.message}`));
  socket.on('message', (data: Buffer) => onMessage(caller, data));
  socket.on('close', (code) => onClose(caller, code));
  callers.add(caller);
  placed.push(caller);
  socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
  socket.send(
    JSON.stringify({
      event: 'start',
      sequenceNumber: String(caller.twilioSequence++),
      start: {
        streamSid,
        accountSid: ACCOUNT_SID,
        callSid,
        tracks: ['inbound'],
        customParameters: parameters,
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
      streamSid,
    }),
  );
  pacer.add(caller);
  counts.opened++;
  return 'opened';
}

function onMessage(caller: Caller, data: Buffer): void {
  const now = benchClock();
  const stamp = findFrameStamp(data);
  if (!stamp) {
    counts.otherFramesReceived++;
    return;
  }
  if (stamp.callIndex !== caller.index) {
    counts.misroutedFrames++;
    pushSample(errorSamples, `caller ${caller.index} received a frame of call ${stamp.callIndex}`);
    return;
  }
  counts.mediaFramesReceived++;
  caller.answered = true;
  providerToCaller.recordMs(now - stamp.sentAt);
  stalls.observe(caller.arrivals, now - stamp.sentAt, now);
  caller.received.observe(stamp.sequence);
  if (stamp.last) {
    stalls.close(caller.arrivals);
    caller.finalSequence = stamp.sequence;
    caller.onChange?.();
  }
}

function onClose(caller: Caller, code: number): void {
  caller.closed = true;
  pacer.remove(caller);
  callers.delete(caller);
  stalls.close(caller.arrivals);
  if (!caller.ending && isRefusedStream(code, caller.answered)) {
    caller.refused = true;
    counts.refusedAtStream++;
  } else if (!caller.ending) {
    counts.closedByRemote++;
    loss.incomplete++;
    pushSample(errorSamples, `caller ${caller.index} (${caller.callSid}): socket closed by the other side (${code}) during the call`);
  }
  caller.onChange?.();
}

async function open(args: OpenArgs): Promise<OpenCallsResult> {
  const startedAt = Date.now();
  const timeoutMs = args.timeoutMs ?? 10_000;
  const attempts: Promise<void>[] = [];
  const openErrors: string[] = [];
  let failed = 0;
  let refused = 0;
  for (let index = 0; index < args.count; index++) {
    const dueAt = startedAt + (index * 1000) / args.ratePerSec;
    const wait = dueAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    attempts.push(
      openCall(args, timeoutMs).then(
        (outcome) => {
          if (outcome === 'refused') refused++;
        },
        (error: unknown) => {
          failed++;
          counts.openFailures++;
          pushSample(openErrors, error instanceof Error ? error.message : String(error));
        },
      ),
    );
  }
  await Promise.all(attempts);
  for (const sample of openErrors) pushSample(errorSamples, `open: ${sample}`);
  return { opened: args.count - failed - refused, failed, refused, durationMs: Date.now() - startedAt, errorSamples: openErrors };
}

function waitFor(caller: Caller, done: () => boolean, timeoutMs: number): Promise<boolean> {
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      caller.onChange = undefined;
      resolve(done());
    }, timeoutMs);
    caller.onChange = () => {
      if (!done()) return;
      clearTimeout(timer);
      caller.onChange = undefined;
      resolve(true);
    };
  });
}

async function endCall(caller: Caller, finalTimeoutMs: number): Promise<EndedCall | undefined> {
  if (caller.ending || caller.closed) return undefined;
  caller.ending = true;
  pacer.remove(caller);
  const socket = caller.socket;
  socket.send(mediaFrame(caller, true));
  counts.mediaFramesSent++;
  const gotFinal = await waitFor(caller, () => caller.finalSequence !== undefined || caller.closed, finalTimeoutMs);
  if (gotFinal && caller.finalSequence !== undefined) {
    addOutcome(loss, caller.received.finish(caller.finalSequence));
  } else {
    counts.finalMarkerMissing++;
    loss.incomplete++;
    pushSample(errorSamples, `caller ${caller.index} (${caller.callSid}): no LAST frame from the peer within ${finalTimeoutMs} ms`);
  }
  if (socket.readyState !== WebSocket.OPEN) return undefined;
  socket.send(
    `{"event":"stop","sequenceNumber":"${caller.twilioSequence++}","streamSid":"${caller.streamSid}","stop":{"accountSid":"${ACCOUNT_SID}","callSid":"${caller.callSid}"}}`,
  );
  const stopAt = benchClock();
  socket.close(1000, 'call ended');
  const closed = await waitFor(caller, () => caller.closed, 3000);
  if (!closed) socket.terminate();
  return { callSid: caller.callSid, stopAt };
}

async function end(args: EndArgs): Promise<EndCallsResult> {
  const startedAt = Date.now();
  const finalTimeoutMs = args.finalTimeoutMs ?? 3000;
  const ending = [...callers].filter((caller) => !caller.ending && !caller.closed).slice(0, args.count ?? Infinity);
  const results: Promise<EndedCall | undefined>[] = [];
  for (let index = 0; index < ending.length; index++) {
    const wait = startedAt + (index * 1000) / args.ratePerSec - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    results.push(endCall(ending[index], finalTimeoutMs));
  }
  const ended = (await Promise.all(results)).filter((call): call is EndedCall => call !== undefined);
  return { ended, durationMs: Date.now() - startedAt };
}

function snapshot(): CallerSnapshot {
  let gaps = 0;
  for (const caller of callers) gaps += caller.received.gapsSoFar();
  return {
    active: callers.size,
    providerToCaller: providerToCaller.toJSON(),
    loss: { ...loss },
    gapsInLiveStreams: gaps,
    counts: { ...counts },
    errorSamples: [...errorSamples],
    pacer: pacer.snapshot(),
    eventLoop: eventLoop.snapshot(),
    stalls: stalls.snapshot(),
  };
}

function resetLatency(): void {
  providerToCaller.reset();
  pacer.resetStats();
  eventLoop.reset();
  stalls.begin(benchClock());
}

serveRpc(
  {
    reset: () => {
      resetLatency();
      loss = emptyLossTotals();
      counts = freshCounts();
      errorSamples = [];
      placed = [];
      return { active: callers.size };
    },
    open: (args: OpenArgs) => open(args),
    resetLatency: () => {
      resetLatency();
      return {};
    },
    snapshot,
    /** Calls live and refused so far in this phase (refusals at stream start arrive after `open` returns). */
    status: () => ({ active: callers.size, refusedAtWebhook: counts.refusedAtWebhook, refusedAtStream: counts.refusedAtStream }),
    /** Provider -> caller latency so far, then from zero again (the hold's first half). */
    takeRelayLatency: () => {
      const json = providerToCaller.toJSON();
      providerToCaller.reset();
      return json;
    },
    end: (args: EndArgs) => end(args),
    /** CallSids of the calls placed and carried in this phase (not refused), ended or not. */
    placed: () => ({ callSids: placed.filter((caller) => !caller.refused).map((caller) => caller.callSid) }),
    abort: () => {
      for (const caller of callers) {
        caller.ending = true;
        caller.socket.terminate();
      }
      return {};
    },
  },
  { ready: true },
);
