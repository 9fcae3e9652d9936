import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { HttpAnswer, postForm } from './form-post.request';
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
import { parseConnectStreamTwiml, StreamInstruction } from './twiml.parser';
import { joinUrl, mediaStreamConnectUrl, SignatureMode, twilioSignatureHeaders } from './twilio-request.signer';

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

export type CallPhase = 'idle' | 'answered' | 'connected' | 'streaming' | 'stopped' | 'closed';

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
  close: [StreamClosed];
  /** Any state change; waitFor re-checks its predicate on it. */
  update: [];
}

const DEFAULT_FROM = '+15551234567';
const DEFAULT_TO = '+15557654321';

/**
 * Plays Twilio toward our service: the signed voice webhook, then a Media Stream with
 * real-time caller audio, mark echoes after simulated playback, clear handling, DTMF and
 * hang-up. Everything the service sends is checked against Twilio's rules.
 */
export class SimulatedTwilioCall extends EventEmitter<SimulatedTwilioCallEvents> {
  readonly callSid: string;
  readonly accountSid: string;
  readonly streamSid: string;
  readonly from: string;
  readonly to: string;
  readonly protocolViolations: ProtocolViolation[] = [];
  readonly marks: ReceivedMark[] = [];
  readonly clears: ClearRecord[] = [];

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
  private socket?: WebSocket;
  private nextSequenceNumber = 1;
  private statusSequenceNumber = 0;
  private dialedAt?: number;
  private streamStartedAt?: number;
  private mediaStartedAt = 0;
  private chunksSent = 0;
  private mediaTimer?: NodeJS.Timeout;
  private markTimer?: NodeJS.Timeout;
  private hangingUp = false;
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
    this.accountSid = options.accountSid ?? twilioSid('AC');
    this.streamSid = options.streamSid ?? twilioSid('MZ');
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
    return this.answer?.stream.parameters ?? {};
  }

  get currentPhase(): CallPhase {
    return this.phase;
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
    this.setPhase('answered');
    this.emit('twiml', answer);
    return answer;
  }

  async openMediaStream(stream: StreamInstruction | undefined = this.answer?.stream): Promise<void> {
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
    socket.on('message', (data, isBinary) => this.onServiceFrame(rawDataToBuffer(data), isBinary));
    socket.on('close', (code, reason) => this.onSocketClosed(code, reason.toString('utf8')));
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

  /** Twilio's side of a caller hanging up: `stop`, then the socket closes. */
  async hangup(timeoutMs = 2000): Promise<void> {
    this.stopMedia();
    if (!this.isOpen()) {
      return;
    }
    this.hangingUp = true;
    this.sendSequenced((context) => this.builders.stop(context));
    this.setPhase('stopped');
    this.socket?.close(1000, 'call ended');
    await this.waitForClose(timeoutMs).catch(() => this.socket?.terminate());
  }

  /** Stops timers and drops the socket without a goodbye (a network failure). */
  dispose(): void {
    this.stopMedia();
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    if (this.socket && this.socket.readyState !== WebSocket.CLOSED) {
      this.hangingUp = true;
      this.socket.terminate();
    }
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

  private onSocketClosed(code: number, reason: string): void {
    this.stopMedia();
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    this.closed = { code, reason, by: this.hangingUp ? 'caller' : 'service' };
    this.setPhase('closed');
    this.emit('close', this.closed);
    this.emit('update');
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

function rawDataToBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
