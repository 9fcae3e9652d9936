import WebSocket from 'ws';
import { SocketWatchdog, WatchedSocket } from '../../common/socket-watchdog';
import {
  decodeProviderFrame,
  replyAudioPayload,
  encodeInputAudio,
  encodeReplyCreate,
  encodeSessionEnd,
  encodeSessionResume,
  encodeSessionUpdate,
  encodeToolResult,
} from '../voice-agent-wire';
import { FieldLogger } from '../../common/field-logger';
import {
  ConnectionClosedReason,
  ProviderEvent,
  SessionConfig,
  SessionUpdate,
  VoiceAgentCallbacks,
  VoiceAgentConnection,
} from '../voice-agent.types';
import {
  DEFAULT_RECONNECT_SETTINGS,
  isRecoverableSessionError,
  nextFreshStep,
  nextResumeStep,
  ReconnectSettings,
} from './assemblyai-reconnect.policy';
import { BoundedQueue } from '../provider-reconnect';

export interface AssemblyAiClientOptions {
  url: string;
  apiKey?: string;
  headers?: Record<string, string>;
  logger: FieldLogger;
  callId: string;
  session: SessionConfig;
  callbacks: VoiceAgentCallbacks;
  reconnect?: Partial<ReconnectSettings>;
  /** Pings the socket; one silent (no frame, no pong) for two intervals is treated as dropped. */
  watchdog?: SocketWatchdog;
}

export interface AssemblyAiClientCounters {
  audioSent: number;
  audioDroppedNotReady: number;
  audioDroppedBufferFull: number;
  audioDroppedBackpressure: number;
  audioFlushedAfterReconnect: number;
  messagesDropped: number;
  reconnects: number;
  resumes: number;
  freshSessions: number;
  silentSockets: number;
  toolResultsResent: number;
}

type State = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'ending' | 'closed';
// What the current socket was opened for: the first session, a resume, or a fresh session after a refused resume.
type AttemptKind = 'initial' | 'resume' | 'fresh';
type PendingMessage = { kind: 'session.update' | 'tool.result' | 'reply.create'; text: string; callId?: string };

/**
 * One call's connection to the Voice Agent API. Hides drops: resumes within the provider's
 * window, else starts a fresh session from callbacks.onFreshSessionRequired().
 */
export class AssemblyAiVoiceAgentClient implements VoiceAgentConnection, WatchedSocket {
  readonly counters: AssemblyAiClientCounters = {
    audioSent: 0,
    audioDroppedNotReady: 0,
    audioDroppedBufferFull: 0,
    audioDroppedBackpressure: 0,
    audioFlushedAfterReconnect: 0,
    messagesDropped: 0,
    reconnects: 0,
    resumes: 0,
    freshSessions: 0,
    silentSockets: 0,
    toolResultsResent: 0,
  };

  private readonly settings: ReconnectSettings;
  private readonly callbacks: VoiceAgentCallbacks;
  private readonly logger: FieldLogger;
  private readonly audioBuffer: BoundedQueue<string>;
  private readonly pendingMessages: BoundedQueue<PendingMessage>;
  private state: State = 'idle';
  private attemptKind: AttemptKind = 'initial';
  private attempt = 0;
  private droppedAt = 0;
  private socket: WebSocket | undefined;
  private currentSessionId: string | undefined;
  private freshSession: SessionConfig | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private endTimer: NodeJS.Timeout | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private lastInboundAt = 0;
  /*
   * Tool results sent on the current socket and not yet followed by the agent's next reply. A
   * socket that dies silently swallows what was written just before; these go again on resume.
   */
  private readonly unconfirmedToolResults = new Map<string, string>();

  constructor(private readonly options: AssemblyAiClientOptions) {
    this.settings = { ...DEFAULT_RECONNECT_SETTINGS, ...options.reconnect };
    this.callbacks = options.callbacks;
    this.logger = options.logger.child({ callSid: options.callId });
    this.audioBuffer = new BoundedQueue(this.settings.audioBufferFrames);
    this.pendingMessages = new BoundedQueue(this.settings.pendingMessageLimit);
  }

  get sessionId(): string | undefined {
    return this.currentSessionId;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  connect(): void {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    this.options.watchdog?.watch(this);
    this.startRecoveryDeadline('no session.ready');
    this.openSocket('initial');
  }

  onWatchdogTick(now: number): void {
    const socket = this.socket;
    if (this.state !== 'ready' || !socket || socket.readyState !== WebSocket.OPEN) return;
    const silenceLimitMs = 2 * (this.options.watchdog?.intervalMs ?? 0);
    if (now - this.lastInboundAt > silenceLimitMs) {
      this.counters.silentSockets++;
      this.logger.warn('voice agent: socket silent (no frame or pong); treating it as dropped', { silentMs: now - this.lastInboundAt });
      socket.terminate();
      return;
    }
    socket.ping();
  }

  sendAudio(base64Audio: string): void {
    if (this.state === 'ready') {
      const socket = this.socket as WebSocket;
      if (socket.bufferedAmount > this.settings.maxSocketBufferedBytes) {
        this.counters.audioDroppedBackpressure++;
        return;
      }
      socket.send(encodeInputAudio(base64Audio));
      this.counters.audioSent++;
    } else if (this.state === 'reconnecting') {
      if (this.audioBuffer.push(base64Audio)) this.counters.audioDroppedBufferFull++;
    } else {
      this.counters.audioDroppedNotReady++;
    }
  }

  updateSession(update: SessionUpdate): void {
    this.sendOrQueue({ kind: 'session.update', text: encodeSessionUpdate(update) });
  }

  sendToolResult(callId: string, result: string): void {
    const text = encodeToolResult(callId, result);
    if (this.state === 'ready') this.unconfirmedToolResults.set(callId, text);
    this.sendOrQueue({ kind: 'tool.result', text, callId });
  }

  createReply(instructions?: string): void {
    this.sendOrQueue({ kind: 'reply.create', text: encodeReplyCreate(instructions) });
  }

  end(): void {
    if (this.state === 'ending' || this.state === 'closed') return;
    if (this.state === 'ready' && this.socket) {
      this.state = 'ending';
      this.clearTimer('retryTimer');
      this.socket.send(encodeSessionEnd());
      this.endTimer = setTimeout(() => this.finish({ kind: 'ended' }), this.settings.endTimeoutMs);
      return;
    }
    this.finish({ kind: 'ended' });
  }

  // ---------- sockets ----------

  private openSocket(kind: AttemptKind): void {
    this.attemptKind = kind;
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const socket = new WebSocket(this.options.url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: this.settings.readyTimeoutMs,
    });
    this.socket = socket;
    this.readyTimer = setTimeout(() => {
      this.logger.warn('voice agent: no session.ready in time', { attempt: kind });
      socket.terminate();
    }, this.settings.readyTimeoutMs);

    socket.on('open', () => {
      if (this.socket !== socket) return;
      this.noteInbound();
      socket.send(this.firstMessage(kind));
    });
    socket.on('pong', () => {
      if (this.socket === socket) this.noteInbound();
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (this.socket !== socket) return;
      this.noteInbound();
      if (isBinary) {
        this.logger.warn('voice agent: binary frame ignored');
        return;
      }
      this.handleFrame(data.toString());
    });
    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      socket.terminate();
      if (this.socket !== socket) return;
      if (status === 401 || status === 403) {
        this.finish({
          kind: 'fatal-error',
          code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
          message: `provider refused the upgrade (HTTP ${status})`,
        });
      } else {
        this.logger.warn('voice agent: upgrade refused', { status });
      }
    });
    socket.on('error', (error: Error) => {
      if (this.socket !== socket) return;
      this.logger.warn('voice agent: socket error', { error: error.message });
    });
    socket.on('close', (code: number) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.onSocketClosed(code);
    });
  }

  private firstMessage(kind: AttemptKind): string {
    if (kind === 'resume') return encodeSessionResume(this.currentSessionId as string);
    return encodeSessionUpdate(kind === 'fresh' ? (this.freshSession as SessionConfig) : this.options.session);
  }

  private onSocketClosed(code: number): void {
    this.clearTimer('readyTimer');
    if (this.state === 'closed') return;
    if (this.state === 'ending') {
      this.finish({ kind: 'ended' });
      return;
    }
    if (this.state === 'ready') {
      this.logger.warn('voice agent: socket dropped, resuming', { sessionId: this.currentSessionId, code });
      this.state = 'reconnecting';
      this.droppedAt = Date.now();
      this.counters.reconnects++;
      this.startRecoveryDeadline('no resume');
      this.emit(() => this.callbacks.onReconnecting?.());
      this.scheduleResume(0);
      return;
    }
    this.retryAfterFailedAttempt();
  }

  private retryAfterFailedAttempt(): void {
    this.attempt++;
    if (this.attemptKind === 'resume') {
      this.scheduleResume(this.attempt);
    } else {
      this.scheduleFresh(this.attempt);
    }
  }

  private scheduleResume(attempt: number): void {
    this.attempt = attempt;
    const step = nextResumeStep(attempt, this.droppedAt, Date.now(), this.settings);
    if (step.action === 'fresh') {
      this.startFresh('resume attempts exhausted');
      return;
    }
    this.retryTimer = setTimeout(() => this.openSocket('resume'), step.delayMs);
  }

  private startFresh(why: string): void {
    this.logger.warn('voice agent: starting a fresh session', { previousSessionId: this.currentSessionId, why });
    try {
      this.freshSession = this.callbacks.onFreshSessionRequired();
    } catch (error) {
      this.finish({ kind: 'lost', message: `onFreshSessionRequired failed: ${(error as Error).message}` });
      return;
    }
    // The fresh session never issued the call ids these results answer.
    this.unconfirmedToolResults.clear();
    const kept = this.pendingMessages.drain().filter((message) => message.kind !== 'tool.result');
    for (const message of kept) this.pendingMessages.push(message);
    this.attemptKind = 'fresh';
    this.scheduleFresh(0);
  }

  private scheduleFresh(attempt: number): void {
    this.attempt = attempt;
    // The first session (attemptKind initial) retries with its own config, later ones with the fresh one.
    const kind: AttemptKind = this.attemptKind === 'initial' ? 'initial' : 'fresh';
    const step = nextFreshStep(attempt, this.settings);
    if (step.action === 'give-up') {
      this.finish({
        kind: 'lost',
        message: `could not ${kind === 'initial' ? 'open' : 'restore'} the provider session after ${attempt} attempts`,
      });
      return;
    }
    this.retryTimer = setTimeout(() => this.openSocket(kind), step.delayMs);
  }

  // ---------- frames ----------

  private handleFrame(text: string): void {
    const audio = replyAudioPayload(text);
    if (audio !== undefined) {
      if (this.state !== 'ready') return;
      try {
        this.callbacks.onAudio(audio);
      } catch (error) {
        this.logger.error('voice agent: callback threw', { error: (error as Error).message });
      }
      return;
    }
    const frame = decodeProviderFrame(text);
    switch (frame.kind) {
      case 'audio':
        if (this.state === 'ready') this.emit(() => this.callbacks.onAudio(frame.audio));
        return;
      case 'event':
        this.handleEvent(frame.event);
        return;
      case 'unknown':
        this.logger.warn('voice agent: unknown provider event', { type: frame.type });
        return;
      case 'malformed':
        this.logger.warn('voice agent: malformed provider frame', { reason: frame.reason });
        return;
    }
  }

  private handleEvent(event: ProviderEvent): void {
    if (this.state === 'ending') {
      if (event.type === 'session.ended') {
        this.emit(() => this.callbacks.onEvent(event));
        this.finish({ kind: 'ended' });
      }
      return;
    }
    const awaitingReady = this.state === 'connecting' || this.state === 'reconnecting';
    switch (event.type) {
      case 'session.ready':
        if (awaitingReady) this.onSessionReady(event.session_id);
        else this.logger.warn('voice agent: unexpected session.ready');
        return;
      case 'session.error':
        this.onSessionError(event, awaitingReady);
        return;
      case 'session.ended':
        this.emit(() => this.callbacks.onEvent(event));
        this.finish({ kind: 'ended' });
        return;
      case 'reply.started':
        // The agent answers: whatever results it was waiting for arrived.
        this.unconfirmedToolResults.clear();
        this.emit(() => this.callbacks.onEvent(event));
        return;
      default:
        this.emit(() => this.callbacks.onEvent(event));
    }
  }

  private onSessionReady(sessionId: string): void {
    this.clearTimer('readyTimer');
    this.clearTimer('recoveryTimer');
    const kind = this.attemptKind;
    if (kind === 'resume' && sessionId !== this.currentSessionId) {
      this.logger.warn('voice agent: resume answered with another session id', { expected: this.currentSessionId, got: sessionId });
    }
    this.currentSessionId = sessionId;
    this.state = 'ready';
    this.attempt = 0;
    const socket = this.socket as WebSocket;
    if (kind === 'resume') {
      for (const text of this.unconfirmedToolResults.values()) socket.send(text);
      this.counters.toolResultsResent += this.unconfirmedToolResults.size;
    }
    for (const message of this.pendingMessages.drain()) {
      socket.send(message.text);
      if (message.callId) this.unconfirmedToolResults.set(message.callId, message.text);
    }
    const buffered = this.audioBuffer.drain();
    for (const audio of buffered) socket.send(encodeInputAudio(audio));
    this.counters.audioFlushedAfterReconnect += buffered.length;
    this.counters.audioSent += buffered.length;

    if (kind === 'initial') {
      this.logger.log('voice agent: session ready', { sessionId });
      this.emit(() => this.callbacks.onEvent({ type: 'session.ready', session_id: sessionId }));
      return;
    }
    if (kind === 'resume') this.counters.resumes++;
    else this.counters.freshSessions++;
    this.logger.log(kind === 'resume' ? 'voice agent: session resumed' : 'voice agent: fresh session ready', {
      sessionId,
      bufferedAudioFlushed: buffered.length,
      audioDroppedBufferFull: this.counters.audioDroppedBufferFull,
    });
    this.emit(() => this.callbacks.onResumed({ fresh: kind === 'fresh', sessionId }));
  }

  private onSessionError(event: Extract<ProviderEvent, { type: 'session.error' }>, awaitingReady: boolean): void {
    const context = { sessionId: this.currentSessionId, code: event.code, message: event.message, param: event.param };
    if (awaitingReady && this.attemptKind === 'resume') {
      // A refused resume (or any complaint about it) means that session is gone: start over.
      this.logger.warn('voice agent: resume refused', context);
      this.detachSocket();
      this.clearTimer('readyTimer');
      this.startFresh(`resume refused: ${event.code}`);
      return;
    }
    this.emit(() => this.callbacks.onEvent(event));
    // Before session.ready nothing can fix a rejected config, so even "recoverable" codes end it.
    if (!isRecoverableSessionError(event.code) || awaitingReady) {
      this.logger.error('voice agent: fatal session error', context);
      this.finish({ kind: 'fatal-error', code: event.code, message: event.message });
      return;
    }
    this.logger.warn('voice agent: session error', context);
  }

  // ---------- helpers ----------

  private sendOrQueue(message: PendingMessage): void {
    if (this.state === 'ready') {
      (this.socket as WebSocket).send(message.text);
      return;
    }
    if (this.state === 'idle' || this.state === 'connecting' || this.state === 'reconnecting') {
      if (this.pendingMessages.push(message)) {
        this.counters.messagesDropped++;
        this.logger.warn('voice agent: pending message queue full, oldest dropped');
      }
      return;
    }
    this.counters.messagesDropped++;
    this.logger.warn('voice agent: message after end dropped', { kind: message.kind });
  }

  private finish(reason: ConnectionClosedReason): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.options.watchdog?.unwatch(this);
    this.clearTimer('retryTimer');
    this.clearTimer('readyTimer');
    this.clearTimer('endTimer');
    this.clearTimer('recoveryTimer');
    this.unconfirmedToolResults.clear();
    this.detachSocket();
    this.audioBuffer.drain();
    this.pendingMessages.drain();
    this.logger.log('voice agent: connection closed', {
      sessionId: this.currentSessionId,
      reason: reason.kind,
      counters: { ...this.counters },
    });
    this.emit(() => this.callbacks.onClosed(reason));
  }

  // Stops listening to the current socket and closes it without treating that as a drop.
  private detachSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    else socket.terminate();
  }

  private noteInbound(): void {
    this.lastInboundAt = this.options.watchdog?.now ?? 0;
  }

  /** However the attempts go, the call is not left waiting on the provider past the deadline. */
  private startRecoveryDeadline(what: string): void {
    this.clearTimer('recoveryTimer');
    const deadlineMs = this.settings.recoveryDeadlineMs;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      this.logger.warn('voice agent: provider did not answer in time; giving up on it', { deadlineMs, what });
      this.finish({ kind: 'lost', message: `${what} within ${deadlineMs} ms` });
    }, deadlineMs);
  }

  private clearTimer(name: 'retryTimer' | 'readyTimer' | 'endTimer' | 'recoveryTimer'): void {
    const timer = this[name];
    if (timer) clearTimeout(timer);
    this[name] = undefined;
  }

  // A throwing callback must not break the socket's event handling.
  private emit(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.logger.error('voice agent: callback threw', { error: (error as Error).message });
    }
  }
}
