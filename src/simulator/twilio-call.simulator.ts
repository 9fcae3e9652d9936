import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { HttpAnswer, postForm } from './form-post.request';
import { DialCallStatus, dialHuman, HumanBehaviour, HumanLegOutcome } from './human-leg.simulator';
import {
  BuiltFrame,
  FrameBuilders,
  FrameContext,
  MEDIA_FRAME_MS,
  silentAudioSource,
  StreamIdentity,
  twilioFrameBuilders,
  twilioSid,
} from './media-stream-frame.builder';
import { inspectServiceFrame, ServiceMessage } from './media-stream-message.validator';
import { OutboundPlaybackClock } from './outbound-playback.clock';
import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';
import { DialInstruction, EnqueueInstruction, parseCallTwiml, parseConnectStreamTwiml, StreamInstruction, TwimlVerb } from './twiml.parser';
import { joinUrl, mediaStreamConnectUrl, serviceCallbackUrls, SignatureMode, twilioSignatureHeaders } from './twilio-request.signer';
import { RestControlledCall, SimulatedTwilioRest } from './twilio-rest.simulator';

export interface SimulatedTwilioCallOptions {
  /** Where our service listens, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** The URL Twilio believes it calls (the service's PUBLIC_BASE_URL); signatures are computed over it. Defaults to baseUrl. */
  publicBaseUrl?: string;
  /** When set, every request is signed like Twilio signs it. */
  authToken?: string;
  /** Defaults to `valid` with an authToken, `omit` without one. */
  signature?: SignatureMode;
  from?: string;
  to?: string;
  callSid?: string;
  accountSid?: string;
  streamSid?: string;
  /** Added to (or overriding) the voice webhook's form parameters. */
  webhookParams?: Record<string, string>;
  /** Base64 mu-law payload of caller audio frame `chunkIndex` (0-based); 20 ms of silence by default. */
  audioSource?: (chunkIndex: number) => string;
  /** Replace how any Twilio message is built (return null to skip it, or a string to send it raw). */
  frameBuilders?: Partial<FrameBuilders>;
  /** Start sending caller audio right after `start` (default true). */
  autoMedia?: boolean;
  /** Echo the service's marks once their audio has played (default true). */
  echoMarks?: boolean;
  /** How long audio reaching an idle stream waits before it plays, as in Twilio's jitter buffer (default 0). */
  playoutDelayMs?: number;
  requestTimeoutMs?: number;
  /** Milliseconds on a monotonic clock; defaults to high-resolution epoch time. */
  now?: () => number;
  /** The simulated REST API the service updates the call through; the call registers there when it dials. */
  twilioRest?: SimulatedTwilioRest;
  /** What the person a <Dial> rings does (default `answers`). */
  human?: HumanBehaviour;
  /** How long the human's phone rings before they answer or give up (default 300; the Dial timeout caps it). */
  humanRingMs?: number;
  /** How long an answering human stays with the caller before the bridged call ends (default 300). */
  humanTalkMs?: number;
  /**
   * When a REST update stops the Media Stream: `after-answer` (default) once the REST API has
   * answered, `before-answer` while the request is still open. Twilio gives no order; a service
   * must cope with both.
   */
  redirectStop?: 'after-answer' | 'before-answer';
}

export interface VoiceWebhookAnswer {
  status: number;
  body: string;
  stream: StreamInstruction;
}

export interface ReceivedMedia {
  payload: string;
  bytes: number;
  at: number;
}

export interface ReceivedMark {
  name: string;
  receivedAt: number;
  echoedAt?: number;
  /** True when a clear dropped the audio before it, so the echo came early. */
  cleared?: boolean;
}

export interface ClearRecord {
  at: number;
  droppedMs: number;
  marks: string[];
}

export interface ProtocolViolation {
  at: number;
  reason: string;
  frame: string;
}

export interface StreamClosed {
  code: number;
  reason: string;
  by: 'caller' | 'service';
}

/** `redirected`: running TwiML from a REST update, with no Media Stream (ringing a human, with the human, ...). */
export type CallPhase = 'idle' | 'answered' | 'connected' | 'streaming' | 'stopped' | 'redirected' | 'closed';

export type TransferKind = 'dial' | 'enqueue';

/** A transfer as it is announced: a <Dial> once its outcome is known, an <Enqueue> at once. */
export interface TransferEvent {
  /** The TwiML the transfer came in (the REST update's, or a Dial action's). */
  twiml: string;
  kind: TransferKind;
  /** The number or SIP URI dialled, or the queue name. */
  target: string;
  /** What the human heard before being connected. */
  whisper?: string;
  /** `answered` when announced for a human who picked up (the record says `completed` once the bridge ends). */
  dialStatus?: DialCallStatus | 'answered';
}

export interface TransferRecord extends TransferEvent {
  startedAt: number;
  dial?: DialInstruction;
  dialCallSid?: string;
  dialCallDurationSeconds?: number;
  enqueue?: EnqueueInstruction;
  /** The Dial action request and the service's answer to it. */
  action?: { url: string; params: Record<string, string>; status: number; body: string };
  /** The fresh Media Stream the caller came back on, if they did. */
  rejoinedStreamSid?: string;
  error?: string;
}

export interface RejoinedEvent {
  streamSid: string;
}

export interface StoppedStream {
  streamSid: string;
  closed: StreamClosed;
}

export interface TwimlError {
  at: number;
  reason: string;
}

export interface SimulatedCallStats {
  callSid: string;
  streamSid: string;
  phase: CallPhase;
  dialedAt?: number;
  streamStartedAt?: number;
  sent: { messages: number; mediaFrames: number; dtmf: number; marksEchoed: number };
  received: {
    mediaFrames: number;
    mediaBytes: number;
    audioMs: number;
    firstMediaAt?: number;
    lastMediaAt?: number;
    marks: number;
    clears: number;
  };
  playback: { playedMs: number; queuedMs: number; droppedMs: number; pendingMarks: string[] };
  protocolViolations: number;
  closed?: StreamClosed;
}

export interface SimulatedTwilioCallEvents {
  twiml: [VoiceWebhookAnswer];
  open: [];
  sent: [string];
  message: [ServiceMessage];
  media: [ReceivedMedia];
  mark: [ReceivedMark];
  'mark-echoed': [ReceivedMark];
  clear: [ClearRecord];
  violation: [ProtocolViolation];
  'socket-error': [Error];
  /** The call is over: its Media Stream closed, or the TwiML it was redirected to ended it. */
  close: [StreamClosed];
  /** A REST update stopped the Media Stream (`stop`, then the socket closed); the call goes on. */
  'stream-stopped': [StoppedStream];
  /** <Say> text of redirected TwiML, played to the caller. */
  say: [string];
  transfer: [TransferEvent];
  /** The caller is back on a new Media Stream of the same call. */
  rejoined: [RejoinedEvent];
  /** TwiML from the service could not be run as written (Twilio would say "an application error has occurred"). */
  'twiml-error': [TwimlError];
  /** Any state change; waitFor re-checks its predicate on it. */
  update: [];
}

const DEFAULT_FROM = '+15551234567';
const DEFAULT_TO = '+15557654321';
const DEFAULT_HUMAN_RING_MS = 300;
const DEFAULT_HUMAN_TALK_MS = 300;

/** Ends the TwiML run a newer REST update, a hang-up or dispose() replaced. */
class FlowAbandoned extends Error {}

/**
 * Plays Twilio toward our service: the signed voice webhook, then a Media Stream with
 * real-time caller audio, mark echoes after simulated playback, clear handling, DTMF and
 * hang-up. Everything the service sends is checked against Twilio's rules. With a
 * SimulatedTwilioRest, TwiML the service sends through the REST API runs as Twilio runs it:
 * the stream stops, a <Dial> rings a human (whisper, action callback), <Enqueue> queues the
 * caller, <Connect><Stream> brings them back on a fresh Media Stream, <Hangup/> ends the call.
 */
export class SimulatedTwilioCall extends EventEmitter<SimulatedTwilioCallEvents> implements RestControlledCall {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly protocolViolations: ProtocolViolation[] = [];
  readonly marks: ReceivedMark[] = [];
  readonly clears: ClearRecord[] = [];
  readonly transfers: TransferRecord[] = [];
  readonly rejoins: RejoinedEvent[] = [];
  /** Media Streams a REST update stopped, oldest first. */
  readonly stoppedStreams: StoppedStream[] = [];
  /** <Say> text of redirected TwiML, as the caller heard it. */
  readonly callerHeard: string[] = [];
  readonly twimlErrors: TwimlError[] = [];

  private readonly builders: FrameBuilders;
  private readonly audioSource: (chunkIndex: number) => string;
  private readonly signatureMode: SignatureMode;
  private readonly publicBaseUrl: string;
  private readonly requestTimeoutMs: number;
  private readonly now: () => number;
  private readonly playback: OutboundPlaybackClock;
  private awaitingEcho: ReceivedMark[] = [];

  private phase: CallPhase = 'idle';
  private answer?: VoiceWebhookAnswer;
  /** The <Stream> the current (or next) Media Stream connects to. */
  private stream?: StreamInstruction;
  private currentStreamSid: string;
  private flow?: AbortController;
  private socket?: WebSocket;
  private nextSequenceNumber = 1;
  private statusSequenceNumber = 0;
  private dialedAt?: number;
  private streamStartedAt?: number;
  private mediaStartedAt = 0;
  private chunksSent = 0;
  private mediaTimer?: NodeJS.Timeout;
  private markTimer?: NodeJS.Timeout;
  /** Who is closing the current socket, when we are. */
  private closingBy?: 'caller';
  private closed?: StreamClosed;
  private readonly sent = { messages: 0, mediaFrames: 0, dtmf: 0, marksEchoed: 0 };
  private readonly received = {
    mediaFrames: 0,
    mediaBytes: 0,
    firstMediaAt: undefined as number | undefined,
    lastMediaAt: undefined as number | undefined,
  };

  constructor(private readonly options: SimulatedTwilioCallOptions) {
    super();
    this.setMaxListeners(0);
    this.callSid = options.callSid ?? twilioSid('CA');
    this.accountSid = options.accountSid ?? options.twilioRest?.accountSid ?? twilioSid('AC');
    this.currentStreamSid = options.streamSid ?? twilioSid('MZ');
    this.from = options.from ?? DEFAULT_FROM;
    this.to = options.to ?? DEFAULT_TO;
    this.builders = { ...twilioFrameBuilders, ...options.frameBuilders };
    this.audioSource = options.audioSource ?? silentAudioSource;
    this.signatureMode = options.signature ?? (options.authToken ? 'valid' : 'omit');
    this.publicBaseUrl = options.publicBaseUrl ?? options.baseUrl;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.playback = new OutboundPlaybackClock(options.playoutDelayMs);
  }

  get twiml(): VoiceWebhookAnswer | undefined {
    return this.answer;
  }

  get customParameters(): Record<string, string> {
    return this.stream?.parameters ?? {};
  }

  get currentPhase(): CallPhase {
    return this.phase;
  }

  /** The current Media Stream's SID (a new one after the caller rejoins). */
  get streamSid(): string {
    return this.currentStreamSid;
  }

  /** What the human heard before being connected, in the latest transfer that reached one. */
  get whisperHeard(): string | undefined {
    return [...this.transfers].reverse().find((transfer) => transfer.whisper !== undefined)?.whisper;
  }

  /** Twilio's status of the call, as its REST API reports it. */
  get restStatus(): string {
    switch (this.phase) {
      case 'idle':
        return 'queued';
      case 'stopped':
      case 'closed':
        return 'completed';
      default:
        return 'in-progress';
    }
  }

  /** The whole inbound call: webhook, Media Stream, `connected`, `start`, then caller audio. */
  async dial(): Promise<void> {
    const answer = await this.requestTwiml();
    await this.openMediaStream(answer.stream);
    this.sendConnected();
    this.sendStart();
    if (this.options.autoMedia !== false) {
      this.startMedia();
    }
  }

  async requestTwiml(): Promise<VoiceWebhookAnswer> {
    this.dialedAt ??= this.now();
    this.options.twilioRest?.register(this);
    const params = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: 'ringing',
      Called: this.to,
      Caller: this.from,
      Direction: 'inbound',
      From: this.from,
      To: this.to,
      ...this.options.webhookParams,
    };
    const response = await this.signedPost('/twilio/voice', params);
    if (response.status !== 200) {
      throw new SimulatorException(
        SimulatorExceptionCode.WEBHOOK_REJECTED,
        `POST /twilio/voice answered ${response.status}: ${response.body.slice(0, 200)}`,
        response.status,
      );
    }
    const answer = { status: response.status, body: response.body, stream: parseConnectStreamTwiml(response.body) };
    this.answer = answer;
    this.stream = answer.stream;
    this.setPhase('answered');
    this.emit('twiml', answer);
    return answer;
  }

  async openMediaStream(stream: StreamInstruction | undefined = this.stream): Promise<void> {
    if (!stream) {
      throw new SimulatorException(SimulatorExceptionCode.NOT_CONNECTED, 'no <Stream> to connect to: call requestTwiml() first');
    }
    const connectUrl = mediaStreamConnectUrl(stream.url, this.options.baseUrl);
    const socket = new WebSocket(connectUrl, {
      headers: twilioSignatureHeaders(this.signatureMode, this.options.authToken, stream.url),
      handshakeTimeout: this.requestTimeoutMs,
      perMessageDeflate: false,
    });
    this.socket = socket;
    this.closingBy = undefined;
    // a stopped stream's late frames and close belong to it, not to the stream that replaced it
    socket.on('message', (data, isBinary) => socket === this.socket && this.onServiceFrame(rawDataToBuffer(data), isBinary));
    socket.on('close', (code, reason) => this.onSocketClosed(socket, code, reason.toString('utf8')));
    socket.on('error', (error) => this.emit('socket-error', error));
    await waitForSocketOpen(socket, connectUrl);
    this.setPhase('connected');
    this.emit('open');
  }

  sendConnected(): void {
    this.transmit(this.builders.connected());
  }

  sendStart(): void {
    this.streamStartedAt = this.now();
    this.sendSequenced((context) => this.builders.start(context, { ...this.customParameters }));
    this.setPhase('streaming');
  }

  /** Caller audio every 20 ms, scheduled against the stream's start so timer lateness does not accumulate. */
  startMedia(): void {
    if (this.mediaTimer) {
      return;
    }
    this.mediaStartedAt = this.now() - this.chunksSent * MEDIA_FRAME_MS;
    this.scheduleMediaTick();
  }

  stopMedia(): void {
    clearTimeout(this.mediaTimer);
    this.mediaTimer = undefined;
  }

  dtmf(digit: string): void {
    this.requireOpenSocket();
    this.sendSequenced((context) => this.builders.dtmf(context, digit));
    this.sent.dtmf++;
    this.emit('update');
  }

  /** Twilio's side of a caller hanging up: `stop`, then the socket closes. Away from a stream, the call just ends. */
  async hangup(timeoutMs = 2000): Promise<void> {
    this.stopMedia();
    this.abandonFlow();
    if (this.phase === 'redirected') {
      this.endCall({ code: 1000, reason: 'caller hung up', by: 'caller' });
      return;
    }
    if (!this.isOpen()) {
      if (this.socket?.readyState === WebSocket.CONNECTING) {
        this.closingBy = 'caller';
        this.socket.terminate();
      }
      return;
    }
    this.closingBy = 'caller';
    this.sendSequenced((context) => this.builders.stop(context));
    this.setPhase('stopped');
    this.socket?.close(1000, 'call ended');
    await this.waitForClose(timeoutMs).catch(() => this.socket?.terminate());
  }

  /** Stops timers and drops the socket without a goodbye (a network failure). */
  dispose(): void {
    this.stopMedia();
    this.abandonFlow();
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    if (this.socket && this.socket.readyState !== WebSocket.CLOSED) {
      this.closingBy = 'caller';
      this.socket.terminate();
    }
  }

  /**
   * TwiML from a REST update (`calls(sid).update({ twiml })`), run as Twilio runs it: the
   * Media Stream gets `stop` and closes, then the verbs play out. Returns once accepted, as the
   * REST API does; throws BAD_TWIML for TwiML Twilio would refuse, NOT_CONNECTED once the call is over.
   */
  redirect(twiml: string): void {
    if (!this.inProgress()) {
      throw new SimulatorException(SimulatorExceptionCode.NOT_CONNECTED, `call ${this.callSid} is not in progress (${this.phase})`);
    }
    const verbs = parseCallTwiml(twiml);
    const flow = this.startFlow();
    const run = (): void => {
      if (flow.signal.aborted) {
        return;
      }
      void this.stopStreamForRedirect()
        .then(() => this.runVerbs(verbs, twiml, flow.signal))
        .catch((error: unknown) => this.onFlowFailed(error, flow.signal));
    };
    if (this.options.redirectStop === 'before-answer') {
      run();
    } else {
      // the REST API answers first (the caller writes its response after this returns); the call moves right after
      setImmediate(run);
    }
  }

  /** `Status=completed` through the REST API: Twilio hangs up on everyone. */
  complete(): void {
    if (!this.inProgress()) {
      return;
    }
    this.abandonFlow();
    if (this.phase === 'redirected') {
      this.endCall({ code: 1000, reason: 'completed through the REST API', by: 'service' });
      return;
    }
    void this.hangup();
  }

  /** A status callback as Twilio posts it; CallDuration is filled in for `completed`. */
  async postStatus(status: string, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    const durationSeconds = this.dialedAt === undefined ? 0 : Math.round((this.now() - this.dialedAt) / 1000);
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.callSid,
      CallStatus: status,
      Called: this.to,
      Caller: this.from,
      Direction: 'inbound',
      From: this.from,
      To: this.to,
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.statusSequenceNumber++),
      Timestamp: new Date().toUTCString(),
      ...(status === 'completed' ? { CallDuration: String(durationSeconds) } : {}),
      ...extra,
    };
    return this.signedPost('/twilio/status', params);
  }

  /** Anything at all down the Media Stream, bypassing the frame builders: for misuse tests. */
  sendRaw(data: string | Buffer): void {
    const socket = this.requireOpenSocket();
    socket.send(data, { binary: Buffer.isBuffer(data) });
    this.sent.messages++;
  }

  /** Resolves once `predicate` holds; it is re-checked on every state change of the call. */
  waitFor(predicate: (call: this) => boolean, timeoutMs = 5000, description = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate(this)) {
        resolve();
        return;
      }
      const settle = (error?: unknown): void => {
        clearTimeout(timer);
        this.off('update', check);
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      };
      const check = (): void => {
        try {
          if (predicate(this)) {
            settle();
          }
        } catch (error) {
          settle(error);
        }
      };
      const timer = setTimeout(
        () => settle(new SimulatorException(SimulatorExceptionCode.TIMEOUT, `timed out after ${timeoutMs} ms waiting for ${description}`)),
        timeoutMs,
      );
      this.on('update', check);
    });
  }

  waitForMedia(frames = 1, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.received.mediaFrames >= frames, timeoutMs, `${frames} media frame(s) from the service`);
  }

  waitForClear(count = 1, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.clears.length >= count, timeoutMs, `${count} clear(s) from the service`);
  }

  waitForMarkEcho(name: string, timeoutMs = 5000): Promise<ReceivedMark> {
    const echoed = (): ReceivedMark | undefined => this.marks.find((mark) => mark.name === name && mark.echoedAt !== undefined);
    return this.waitFor(() => echoed() !== undefined, timeoutMs, `the echo of mark ${name}`).then(() => echoed() as ReceivedMark);
  }

  waitForClose(timeoutMs = 5000): Promise<StreamClosed> {
    return this.waitFor(() => this.closed !== undefined, timeoutMs, 'the Media Stream to close').then(() => this.closed as StreamClosed);
  }

  /** The caller is back on a fresh Media Stream (the `count`th time), started and streaming. */
  waitForRejoin(timeoutMs = 5000, count = 1): Promise<RejoinedEvent> {
    return this.waitFor(() => this.rejoins.length >= count, timeoutMs, `rejoin ${count} on a new Media Stream`).then(
      () => this.rejoins[count - 1],
    );
  }

  /** The `count`th transfer has an outcome: a Dial answered or not, an Enqueue made. */
  waitForTransfer(timeoutMs = 5000, count = 1): Promise<TransferRecord> {
    const settled = (): TransferRecord | undefined => {
      const transfer = this.transfers[count - 1];
      return transfer && (transfer.kind === 'enqueue' || transfer.dialStatus !== undefined || transfer.error) ? transfer : undefined;
    };
    return this.waitFor(() => settled() !== undefined, timeoutMs, `transfer ${count}`).then(() => settled() as TransferRecord);
  }

  stats(): SimulatedCallStats {
    const now = this.now();
    const playback = this.playback.totals(now);
    return {
      callSid: this.callSid,
      streamSid: this.streamSid,
      phase: this.phase,
      dialedAt: this.dialedAt,
      streamStartedAt: this.streamStartedAt,
      sent: { ...this.sent },
      received: {
        ...this.received,
        audioMs: playback.receivedMs,
        marks: this.marks.length,
        clears: this.clears.length,
      },
      playback: {
        playedMs: playback.playedMs,
        queuedMs: playback.queuedMs,
        droppedMs: playback.droppedMs,
        pendingMarks: this.playback.pendingMarkNames(),
      },
      protocolViolations: this.protocolViolations.length,
      closed: this.closed,
    };
  }

  private async signedPost(path: string, params: Record<string, string>): Promise<HttpAnswer> {
    const headers = twilioSignatureHeaders(this.signatureMode, this.options.authToken, joinUrl(this.publicBaseUrl, path), params);
    try {
      return await postForm(joinUrl(this.options.baseUrl, path), params, headers, this.requestTimeoutMs);
    } catch (error) {
      throw new SimulatorException(
        SimulatorExceptionCode.WEBHOOK_FAILED,
        `POST ${joinUrl(this.options.baseUrl, path)} failed: ${errorMessage(error)}`,
      );
    }
  }

  private scheduleMediaTick(): void {
    const delay = this.mediaStartedAt + this.chunksSent * MEDIA_FRAME_MS - this.now();
    this.mediaTimer = setTimeout(() => this.onMediaTick(), Math.max(0, Math.ceil(delay)));
  }

  private onMediaTick(): void {
    this.mediaTimer = undefined;
    const dueChunks = Math.floor((this.now() - this.mediaStartedAt) / MEDIA_FRAME_MS) + 1;
    while (this.chunksSent < dueChunks && this.isOpen()) {
      this.sendMediaFrame();
    }
    if (this.isOpen()) {
      this.scheduleMediaTick();
    }
  }

  private sendMediaFrame(): void {
    const chunkIndex = this.chunksSent++;
    const input = { chunk: chunkIndex + 1, timestampMs: chunkIndex * MEDIA_FRAME_MS, payload: this.audioSource(chunkIndex) };
    if (this.sendSequenced((context) => this.builders.media(context, input))) {
      this.sent.mediaFrames++;
    }
    this.emit('update');
  }

  private sendSequenced(build: (context: FrameContext) => BuiltFrame): boolean {
    const sent = this.transmit(build({ ...this.identity(), sequenceNumber: String(this.nextSequenceNumber) }));
    if (sent) {
      this.nextSequenceNumber++;
    }
    return sent;
  }

  private transmit(frame: BuiltFrame): boolean {
    if (frame === null) {
      return false;
    }
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.requireOpenSocket().send(text);
    this.sent.messages++;
    this.emit('sent', text);
    return true;
  }

  private onServiceFrame(data: Buffer, isBinary: boolean): void {
    const at = this.now();
    const expectedStreamSid = this.streamStartedAt === undefined ? undefined : this.streamSid;
    const inspected = inspectServiceFrame(isBinary ? data : data.toString('utf8'), isBinary, expectedStreamSid);
    for (const reason of inspected.violations) {
      const violation = { at, reason, frame: isBinary ? `<${data.length} binary bytes>` : data.toString('utf8').slice(0, 300) };
      this.protocolViolations.push(violation);
      this.emit('violation', violation);
    }
    // Twilio still acts on a frame whose essentials are usable; the violation is what tests assert on.
    const message = inspected.message;
    if (message) {
      this.emit('message', message);
      this.handleServiceMessage(message, at);
    }
    this.emit('update');
  }

  private handleServiceMessage(message: ServiceMessage, at: number): void {
    switch (message.event) {
      case 'media': {
        const bytes = Buffer.from(message.media.payload, 'base64').length;
        this.received.mediaFrames++;
        this.received.mediaBytes += bytes;
        this.received.firstMediaAt ??= at;
        this.received.lastMediaAt = at;
        this.playback.enqueueAudio(bytes, at);
        this.emit('media', { payload: message.media.payload, bytes, at });
        return;
      }
      case 'mark': {
        const mark: ReceivedMark = { name: message.mark.name, receivedAt: at };
        this.marks.push(mark);
        this.awaitingEcho.push(mark);
        this.playback.enqueueMark(mark.name, at);
        this.emit('mark', mark);
        this.echoDueMarks();
        return;
      }
      case 'clear': {
        // Marks whose audio had played by now are echoed as played, even if their timer has not fired yet.
        this.echoDueMarks(at);
        const cleared = this.playback.clear(at);
        const record = { at, droppedMs: cleared.droppedMs, marks: cleared.marks };
        this.clears.push(record);
        const dropped = this.awaitingEcho.splice(0);
        this.emit('clear', record);
        dropped.forEach((mark) => this.echoMark(mark, true));
        this.scheduleMarkEchoes();
        return;
      }
    }
  }

  private echoDueMarks(now = this.now()): void {
    const due = this.playback.takeDueMarks(now);
    this.awaitingEcho.splice(0, due.length).forEach((mark) => this.echoMark(mark, false));
    this.scheduleMarkEchoes();
  }

  private scheduleMarkEchoes(): void {
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const dueAt = this.playback.nextMarkDueAt();
    if (dueAt === undefined || !this.isOpen()) {
      return;
    }
    this.markTimer = setTimeout(
      () => {
        this.markTimer = undefined;
        this.echoDueMarks();
        this.emit('update');
      },
      Math.max(1, Math.ceil(dueAt - this.now())),
    );
  }

  private echoMark(mark: ReceivedMark, cleared: boolean): void {
    if (this.options.echoMarks === false || !this.isOpen()) {
      return;
    }
    this.sendSequenced((context) => this.builders.mark(context, mark.name));
    mark.echoedAt = this.now();
    mark.cleared = cleared;
    this.sent.marksEchoed++;
    this.emit('mark-echoed', mark);
  }

  private onSocketClosed(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) {
      return;
    }
    const closed: StreamClosed = { code, reason, by: this.closingBy ?? 'service' };
    if (this.phase === 'redirected') {
      const stopped = { streamSid: this.streamSid, closed };
      this.stoppedStreams.push(stopped);
      this.emit('stream-stopped', stopped);
      this.emit('update');
      return;
    }
    this.endCall(closed);
  }

  private endCall(closed: StreamClosed): void {
    if (this.phase === 'closed') {
      return;
    }
    this.stopMedia();
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    this.closed = closed;
    this.setPhase('closed');
    this.emit('close', closed);
    this.emit('update');
  }

  private inProgress(): boolean {
    return this.phase !== 'idle' && this.phase !== 'stopped' && this.phase !== 'closed';
  }

  private startFlow(): AbortController {
    this.flow?.abort();
    this.flow = new AbortController();
    return this.flow;
  }

  private abandonFlow(): void {
    this.flow?.abort();
    this.flow = undefined;
  }

  /** Twilio stops the Media Stream the moment a REST update redirects the call: `stop`, then the socket closes. */
  private async stopStreamForRedirect(): Promise<void> {
    this.setPhase('redirected');
    this.stopMedia();
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    // audio not yet played is never heard and its marks never echo
    this.awaitingEcho = [];
    this.playback.clear(this.now());
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) {
      return;
    }
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.closingBy = 'caller';
    if (socket.readyState === WebSocket.OPEN) {
      this.sendSequenced((context) => this.builders.stop(context));
      socket.close(1000, 'call redirected');
    } else if (socket.readyState === WebSocket.CONNECTING) {
      socket.terminate();
    }
    const timer = setTimeout(() => socket.terminate(), this.requestTimeoutMs);
    await closed;
    clearTimeout(timer);
  }

  private async runVerbs(verbs: TwimlVerb[], twiml: string, signal: AbortSignal, transfer?: TransferRecord): Promise<void> {
    let endReason = 'no more TwiML';
    for (const verb of verbs) {
      throwIfAbandoned(signal);
      switch (verb.verb) {
        case 'Say':
          this.callerHeard.push(verb.text);
          this.emit('say', verb.text);
          this.emit('update');
          break;
        case 'Play':
          break;
        case 'Pause':
          await abandonableDelay(verb.seconds * 1000, signal);
          break;
        case 'Dial': {
          const dialled = await this.runDial(verb.dial, twiml, signal);
          if (dialled.next) {
            await this.runVerbs(dialled.next.verbs, dialled.next.twiml, signal, dialled.transfer);
            return;
          }
          endReason = `the <Dial> ended (${dialled.transfer.dialStatus})`;
          break;
        }
        case 'Enqueue':
          this.runEnqueue(verb.enqueue, twiml);
          return;
        case 'Connect':
          await this.rejoin(verb.stream, signal, transfer);
          return;
        case 'Hangup':
          this.endCall({ code: 1000, reason: 'hangup', by: 'service' });
          return;
        case 'Reject':
          this.endCall({ code: 1000, reason: `rejected${verb.reason ? ` (${verb.reason})` : ''}`, by: 'service' });
          return;
        case 'Unsupported':
          this.twimlError(`<${verb.name}> is not simulated; skipped`);
          break;
      }
    }
    // after a bridged <Dial> it is the people on the line who hang up; otherwise the service's TwiML ran out
    this.endCall({ code: 1000, reason: endReason, by: endReason === 'no more TwiML' ? 'service' : 'caller' });
  }

  private async runDial(
    dial: DialInstruction,
    twiml: string,
    signal: AbortSignal,
  ): Promise<{ transfer: TransferRecord; next?: { verbs: TwimlVerb[]; twiml: string } }> {
    const transfer: TransferRecord = { twiml, kind: 'dial', target: dial.targets[0].address, startedAt: this.now(), dial };
    this.transfers.push(transfer);
    this.emit('update');
    try {
      const outcome = await dialHuman(
        dial,
        {
          behaviour: this.options.human ?? 'answers',
          ringMs: this.options.humanRingMs ?? DEFAULT_HUMAN_RING_MS,
          talkMs: this.options.humanTalkMs ?? DEFAULT_HUMAN_TALK_MS,
        },
        {
          parentCallSid: this.callSid,
          accountSid: this.accountSid,
          from: dial.callerId ?? this.from,
          post: (url, params) => this.postToTwimlUrl(url, params),
          delay: (ms) => abandonableDelay(ms, signal),
          onAnswered: (whisper) => {
            throwIfAbandoned(signal);
            Object.assign(transfer, { whisper, dialStatus: 'answered' });
            this.announce(transfer);
          },
        },
      );
      throwIfAbandoned(signal);
      this.settleDial(transfer, outcome);
      if (!dial.action) {
        return { transfer };
      }
      const params: Record<string, string> = {
        AccountSid: this.accountSid,
        ApiVersion: '2010-04-01',
        CallSid: this.callSid,
        CallStatus: 'in-progress',
        Called: this.to,
        Caller: this.from,
        Direction: 'inbound',
        From: this.from,
        To: this.to,
        DialCallStatus: outcome.status,
        DialCallSid: outcome.dialCallSid,
        ...(outcome.durationSeconds === undefined ? {} : { DialCallDuration: String(outcome.durationSeconds) }),
      };
      const answer = await this.postToTwimlUrl(dial.action, params);
      throwIfAbandoned(signal);
      transfer.action = { url: dial.action, params, status: answer.status, body: answer.body };
      this.emit('update');
      if (answer.status !== 200) {
        throw new SimulatorException(
          SimulatorExceptionCode.WEBHOOK_REJECTED,
          `the Dial action ${dial.action} answered ${answer.status}: ${answer.body.slice(0, 200)}`,
          answer.status,
        );
      }
      return { transfer, next: { verbs: parseCallTwiml(answer.body), twiml: answer.body } };
    } catch (error) {
      if (!(error instanceof FlowAbandoned)) {
        transfer.error ??= errorMessage(error);
      }
      throw error;
    }
  }

  private settleDial(transfer: TransferRecord, outcome: HumanLegOutcome): void {
    const announced = transfer.dialStatus === 'answered';
    Object.assign(transfer, {
      dialStatus: outcome.status,
      dialCallSid: outcome.dialCallSid,
      dialCallDurationSeconds: outcome.durationSeconds,
      whisper: outcome.whisper ?? transfer.whisper,
      error: outcome.error,
    });
    if (outcome.status === 'failed' && outcome.error) {
      this.twimlError(outcome.error);
    }
    if (!announced) {
      this.announce(transfer);
    }
    this.emit('update');
  }

  private runEnqueue(enqueue: EnqueueInstruction, twiml: string): void {
    const target = enqueue.queue || (enqueue.workflowSid as string);
    const transfer: TransferRecord = { twiml, kind: 'enqueue', target, startedAt: this.now(), enqueue };
    this.transfers.push(transfer);
    this.announce(transfer);
    this.endCall({ code: 1000, reason: `enqueued in ${target}`, by: 'service' });
  }

  /** <Connect><Stream> after a redirect: a new Media Stream (fresh streamSid and sequence) on the same call. */
  private async rejoin(stream: StreamInstruction, signal: AbortSignal, transfer?: TransferRecord): Promise<void> {
    this.currentStreamSid = twilioSid('MZ');
    this.stream = stream;
    this.nextSequenceNumber = 1;
    this.chunksSent = 0;
    this.streamStartedAt = undefined;
    this.setPhase('answered');
    await this.openMediaStream(stream);
    throwIfAbandoned(signal);
    this.sendConnected();
    this.sendStart();
    if (this.options.autoMedia !== false) {
      this.startMedia();
    }
    const rejoined = { streamSid: this.streamSid };
    this.rejoins.push(rejoined);
    if (transfer) {
      transfer.rejoinedStreamSid = rejoined.streamSid;
    }
    this.emit('rejoined', rejoined);
    this.emit('update');
  }

  /** Twilio hangs up after "an application error has occurred" when the service's TwiML or callback fails. */
  private onFlowFailed(error: unknown, signal: AbortSignal): void {
    if (error instanceof FlowAbandoned || signal.aborted) {
      return;
    }
    this.twimlError(errorMessage(error));
    this.socket?.terminate();
    this.endCall({ code: 1011, reason: `application error: ${errorMessage(error)}`, by: 'service' });
  }

  private announce(transfer: TransferRecord): void {
    const { twiml, kind, target, whisper, dialStatus } = transfer;
    this.emit('transfer', { twiml, kind, target, whisper, dialStatus });
    this.emit('update');
  }

  private twimlError(reason: string): void {
    const error = { at: this.now(), reason };
    this.twimlErrors.push(error);
    this.emit('twiml-error', error);
  }

  /** A request to a URL from the service's TwiML: signed over that URL, sent to our service. */
  private async postToTwimlUrl(twimlUrl: string, params: Record<string, string>): Promise<HttpAnswer> {
    const { signed, target } = serviceCallbackUrls(twimlUrl, this.options.baseUrl, this.publicBaseUrl);
    const headers = twilioSignatureHeaders(this.signatureMode, this.options.authToken, signed, params);
    try {
      return await postForm(target, params, headers, this.requestTimeoutMs);
    } catch (error) {
      throw new SimulatorException(SimulatorExceptionCode.WEBHOOK_FAILED, `POST ${target} failed: ${errorMessage(error)}`);
    }
  }

  private identity(): StreamIdentity {
    return { streamSid: this.streamSid, callSid: this.callSid, accountSid: this.accountSid };
  }

  private isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private requireOpenSocket(): WebSocket {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      throw new SimulatorException(SimulatorExceptionCode.NOT_CONNECTED, `the Media Stream of ${this.callSid} is not open`);
    }
    return this.socket;
  }

  private setPhase(phase: CallPhase): void {
    this.phase = phase;
    this.emit('update');
  }
}

function waitForSocketOpen(socket: WebSocket, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      socket.off('open', onOpen);
      socket.off('unexpected-response', onUnexpectedResponse);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (error: SimulatorException): void => {
      cleanup();
      reject(error);
    };
    const onOpen = (): void => {
      cleanup();
      resolve();
    };
    const onUnexpectedResponse = (_request: unknown, response: IncomingMessage): void => {
      response.resume();
      const status = response.statusCode ?? 0;
      fail(new SimulatorException(SimulatorExceptionCode.STREAM_REJECTED, `Media Stream upgrade to ${url} answered ${status}`, status));
      socket.terminate();
    };
    const onError = (error: Error): void =>
      fail(new SimulatorException(SimulatorExceptionCode.STREAM_FAILED, `Media Stream ${url} failed: ${error.message}`));
    const onClose = (code: number): void =>
      fail(new SimulatorException(SimulatorExceptionCode.STREAM_FAILED, `Media Stream ${url} closed (${code}) before it opened`));
    socket.on('open', onOpen);
    socket.on('unexpected-response', onUnexpectedResponse);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

function throwIfAbandoned(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new FlowAbandoned('the TwiML run was replaced or the call ended');
  }
}

function abandonableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new FlowAbandoned('the TwiML run was replaced or the call ended'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new FlowAbandoned('the TwiML run was replaced or the call ended'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function rawDataToBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
