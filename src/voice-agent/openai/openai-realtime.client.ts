import WebSocket from 'ws';
import { describeError, FieldLogger } from '../../common/field-logger';
import { SocketWatchdog, WatchedSocket } from '../../common/socket-watchdog';
import { BoundedQueue } from '../provider-reconnect';
import {
  ConnectionClosedReason,
  ProviderEvent,
  ReplyDoneEvent,
  SessionConfig,
  SessionUpdate,
  VoiceAgentCallbacks,
  VoiceAgentConnection,
} from '../voice-agent.types';
import {
  DEFAULT_OPENAI_CONNECTION_SETTINGS,
  errorDisposition,
  historyToSeed,
  isServerError,
  nextAttemptStep,
  OpenAiConnectionSettings,
  serverErrorsWithin,
} from './openai-connection.policy';
import { initialEventMapping, mapServerEvent, ServerEventMapping, sessionErrorFrom } from './openai-event.mapper';
import {
  decodeServerFrame,
  encodeFunctionCallOutput,
  encodeHistoryMessage,
  encodeInputAudioAppend,
  encodeItemTruncate,
  encodeResponseCreate,
  encodeSessionUpdate,
  isOutputAudioOfItem,
  OpenAiServerEvent,
  outputAudioDelta,
  outputAudioItemId,
} from './openai-realtime.wire';
import { ReplyPlayback } from './openai-reply-playback';
import {
  callerSpoke,
  emptyTurns,
  functionCalled,
  outputSent,
  ReplyRequest,
  replyRequested,
  responseCreated,
  responseCreateRefused,
  responseFinished,
  ResponseTurns,
  startDueReply,
} from './openai-response-turns';
import {
  greetingInstructions,
  outputBytesPerMs,
  realtimeSessionFrom,
  realtimeSessionPatchFrom,
  SessionMappingOptions,
} from './openai-session.mapper';

export interface OpenAiRealtimeClientOptions {
  /** wss://api.openai.com/v1/realtime?model=<model>, or a compatible server. */
  url: string;
  apiKey?: string;
  headers?: Record<string, string>;
  logger: FieldLogger;
  callId: string;
  session: SessionConfig;
  callbacks: VoiceAgentCallbacks;
  reconnect?: Partial<OpenAiConnectionSettings>;
  /** Pings the socket; one silent (no frame, no pong) for two intervals is treated as dropped. */
  watchdog?: SocketWatchdog;
  mapping?: SessionMappingOptions;
}

export interface OpenAiRealtimeClientCounters {
  audioSent: number;
  audioDroppedNotReady: number;
  audioDroppedBufferFull: number;
  audioDroppedBackpressure: number;
  audioFlushedAfterReconnect: number;
  /** Chunks of a reply the caller cut off, still arriving after the barge-in: not played. */
  replyAudioDropped: number;
  messagesDropped: number;
  toolResultsDropped: number;
  responseCreatesSent: number;
  responseCreatesRefused: number;
  truncations: number;
  sessionErrors: number;
  malformedFrames: number;
  unknownEvents: number;
  reconnects: number;
  freshSessions: number;
  silentSockets: number;
}

type State = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';
type PendingMessage = { kind: 'session.update'; text: string } | { kind: 'reply'; request: ReplyRequest };

/**
 * One call's connection to the OpenAI Realtime API (GA), behind the provider-neutral
 * VoiceAgentConnection. There is no resume: a lost session is rebuilt from
 * callbacks.onFreshSessionRequired(), its history seeded as conversation items.
 */
export class OpenAiRealtimeClient implements VoiceAgentConnection, WatchedSocket {
  readonly counters: OpenAiRealtimeClientCounters = {
    audioSent: 0,
    audioDroppedNotReady: 0,
    audioDroppedBufferFull: 0,
    audioDroppedBackpressure: 0,
    audioFlushedAfterReconnect: 0,
    replyAudioDropped: 0,
    messagesDropped: 0,
    toolResultsDropped: 0,
    responseCreatesSent: 0,
    responseCreatesRefused: 0,
    truncations: 0,
    sessionErrors: 0,
    malformedFrames: 0,
    unknownEvents: 0,
    reconnects: 0,
    freshSessions: 0,
    silentSockets: 0,
  };

  private readonly settings: OpenAiConnectionSettings;
  private readonly callbacks: VoiceAgentCallbacks;
  private readonly logger: FieldLogger;
  private readonly audioBuffer: BoundedQueue<string>;
  private readonly pendingMessages: BoundedQueue<PendingMessage>;
  private readonly playback: ReplyPlayback;
  private state: State = 'idle';
  /** The config the session being opened or running is built from: the first one, or the latest rebuilt one. */
  private sessionConfig: SessionConfig;
  /** Whether that session replaces a lost one (history is seeded, onResumed instead of session.ready). */
  private rebuilding = false;
  private attempt = 0;
  private socket: WebSocket | undefined;
  private sessionUpdateSent = false;
  private currentSessionId: string | undefined;
  private mapping: ServerEventMapping = initialEventMapping();
  private turns: ResponseTurns = emptyTurns();
  private interruptResponse = true;
  // While the call session handles reply.done it may send results and a handoff update: the one
  // response.create they owe goes after all of them.
  private deliveringReplyDone = false;
  private serverErrorTimes: number[] = [];
  private responseCreateCount = 0;
  private lastInboundAt = 0;
  private readonly unknownTypesLogged = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OpenAiRealtimeClientOptions) {
    this.settings = { ...DEFAULT_OPENAI_CONNECTION_SETTINGS, ...options.reconnect };
    this.callbacks = options.callbacks;
    this.logger = options.logger.child({ callSid: options.callId });
    this.audioBuffer = new BoundedQueue(this.settings.audioBufferFrames);
    this.pendingMessages = new BoundedQueue(this.settings.pendingMessageLimit);
    this.sessionConfig = options.session;
    this.playback = new ReplyPlayback(outputBytesPerMs(options.session));
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
    this.startRecoveryDeadline('no session.updated');
    this.openSocket();
  }

  onWatchdogTick(now: number): void {
    const socket = this.socket;
    if (this.state !== 'ready' || !socket || socket.readyState !== WebSocket.OPEN) return;
    const silenceLimitMs = 2 * (this.options.watchdog?.intervalMs ?? 0);
    if (now - this.lastInboundAt > silenceLimitMs) {
      this.counters.silentSockets++;
      this.logger.warn('openai realtime: socket silent (no frame or pong); treating it as dropped', { silentMs: now - this.lastInboundAt });
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
      socket.send(encodeInputAudioAppend(base64Audio));
      this.counters.audioSent++;
    } else if (this.state === 'reconnecting') {
      if (this.audioBuffer.push(base64Audio)) this.counters.audioDroppedBufferFull++;
    } else {
      this.counters.audioDroppedNotReady++;
    }
  }

  updateSession(update: SessionUpdate): void {
    if (update.output?.voice !== undefined) {
      this.logger.warn('openai realtime: voice change ignored; this provider keeps one voice per call', { voice: update.output.voice });
    }
    const patch = realtimeSessionPatchFrom(update);
    if (!patch) return;
    this.sendOrQueue({ kind: 'session.update', text: encodeSessionUpdate(patch) });
  }

  sendToolResult(callId: string, result: string): void {
    if (this.state !== 'ready') {
      // Only a rebuilt session can follow, and it never issued this call id.
      this.counters.toolResultsDropped++;
      this.logger.warn('openai realtime: tool result for a session that is gone dropped', { toolCallId: callId, state: this.state });
      return;
    }
    (this.socket as WebSocket).send(encodeFunctionCallOutput(callId, result));
    this.turns = outputSent(this.turns, callId);
    if (!this.deliveringReplyDone) this.sendDueReply();
  }

  createReply(instructions?: string): void {
    const request: ReplyRequest = instructions === undefined ? {} : { instructions };
    if (this.state === 'ready') {
      this.turns = replyRequested(this.turns, request);
      if (!this.deliveringReplyDone) this.sendDueReply();
      return;
    }
    this.sendOrQueue({ kind: 'reply', request });
  }

  replyInterrupted(heardMs: number): void {
    if (this.state !== 'ready') return;
    const truncation = this.playback.interrupt(heardMs);
    if (!truncation) return;
    this.counters.truncations++;
    (this.socket as WebSocket).send(encodeItemTruncate(truncation.itemId, truncation.audioEndMs));
  }

  /** There is no session.end on this wire: closing the socket ends the session. */
  end(): void {
    if (this.state === 'closed') return;
    this.finish({ kind: 'ended' });
  }

  // ---------- sockets ----------

  private openSocket(): void {
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const socket = new WebSocket(this.options.url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: this.settings.readyTimeoutMs,
    });
    this.socket = socket;
    this.sessionUpdateSent = false;
    this.mapping = initialEventMapping();
    this.turns = emptyTurns();
    this.playback.reset(outputBytesPerMs(this.sessionConfig));
    this.interruptResponse = this.sessionConfig.input?.turn_detection?.interrupt_response ?? true;
    this.readyTimer = setTimeout(() => {
      this.logger.warn('openai realtime: session not configured in time', { rebuilding: this.rebuilding });
      socket.terminate();
    }, this.settings.readyTimeoutMs);

    socket.on('open', () => {
      if (this.socket === socket) this.noteInbound();
    });
    socket.on('pong', () => {
      if (this.socket === socket) this.noteInbound();
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (this.socket !== socket) return;
      this.noteInbound();
      if (isBinary) {
        this.logger.warn('openai realtime: binary frame ignored');
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
          code: status === 401 ? 'invalid_api_key' : 'forbidden',
          message: `provider refused the upgrade (HTTP ${status})`,
        });
      } else {
        this.logger.warn('openai realtime: upgrade refused', { status });
      }
    });
    socket.on('error', (error: Error) => {
      if (this.socket === socket) this.logger.warn('openai realtime: socket error', { error: error.message });
    });
    socket.on('close', (code: number) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.onSocketClosed(code);
    });
  }

  private onSocketClosed(code: number): void {
    this.clearTimer('readyTimer');
    if (this.state === 'closed') return;
    if (this.state === 'ready') {
      this.rebuildSession(`socket closed (${code})`);
      return;
    }
    this.scheduleAttempt(this.attempt + 1);
  }

  /** The running session is gone and cannot be resumed: a new one, built from the call so far. */
  private rebuildSession(why: string): void {
    this.logger.warn('openai realtime: session lost; starting a new one', { sessionId: this.currentSessionId, why });
    this.state = 'reconnecting';
    this.counters.reconnects++;
    this.detachSocket();
    this.clearTimer('readyTimer');
    this.startRecoveryDeadline('no new session');
    this.emit(() => this.callbacks.onReconnecting?.());
    if (this.state !== 'reconnecting') return;
    let fresh: SessionConfig;
    try {
      fresh = this.callbacks.onFreshSessionRequired();
    } catch (error) {
      this.finish({ kind: 'lost', message: `onFreshSessionRequired failed: ${describeError(error)}` });
      return;
    }
    if (this.state !== 'reconnecting') return;
    this.sessionConfig = fresh;
    this.rebuilding = true;
    this.scheduleAttempt(0);
  }

  private scheduleAttempt(attempt: number): void {
    this.attempt = attempt;
    const step = nextAttemptStep(attempt, this.settings);
    if (step.action === 'give-up') {
      this.finish({
        kind: 'lost',
        message: `could not ${this.rebuilding ? 'rebuild' : 'open'} the provider session after ${attempt} attempts`,
      });
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.openSocket();
    }, step.delayMs);
  }

  // ---------- frames ----------

  private handleFrame(text: string): void {
    const delta = outputAudioDelta(text);
    if (delta !== undefined) {
      const playing = this.playback.currentItemId;
      this.relayReplyAudio(playing !== undefined && isOutputAudioOfItem(text, playing) ? playing : outputAudioItemId(text), delta);
      return;
    }
    const frame = decodeServerFrame(text);
    switch (frame.kind) {
      case 'audio':
        this.relayReplyAudio(frame.item_id, frame.delta);
        return;
      case 'event':
        this.handleServerEvent(frame.event);
        return;
      case 'ignored':
        return;
      case 'unknown':
        this.counters.unknownEvents++;
        // A type added to the API may come many times a second: one line per type is enough.
        if (!this.unknownTypesLogged.has(frame.type) && this.unknownTypesLogged.size < 32) {
          this.unknownTypesLogged.add(frame.type);
          this.logger.warn('openai realtime: unknown server event', { type: frame.type });
        }
        return;
      case 'malformed':
        this.counters.malformedFrames++;
        this.logger.warn('openai realtime: malformed server frame', { reason: frame.reason });
        return;
    }
  }

  private relayReplyAudio(itemId: string | undefined, delta: string): void {
    if (this.state !== 'ready') return;
    if (!this.playback.relay(itemId, delta)) {
      this.counters.replyAudioDropped++;
      return;
    }
    try {
      this.callbacks.onAudio(delta);
    } catch (error) {
      this.logger.error('openai realtime: callback threw', { error: describeError(error) });
    }
  }

  private handleServerEvent(event: OpenAiServerEvent): void {
    if (event.type === 'error') {
      this.onServerError(event);
      return;
    }
    const mapped = mapServerEvent(this.mapping, event);
    this.mapping = mapped.mapping;
    if (event.type === 'session.created') {
      this.onSessionCreated();
      return;
    }
    const socket = this.socket;
    for (const providerEvent of mapped.events) {
      // A callback may have ended the call, or an error replaced the session.
      if (this.state === 'closed' || this.socket !== socket) return;
      this.onProviderEvent(providerEvent);
    }
  }

  private onSessionCreated(): void {
    if (this.sessionUpdateSent) {
      this.logger.warn('openai realtime: second session.created ignored');
      return;
    }
    this.sessionUpdateSent = true;
    (this.socket as WebSocket).send(encodeSessionUpdate(realtimeSessionFrom(this.sessionConfig, this.options.mapping)));
  }

  private onProviderEvent(event: ProviderEvent): void {
    if (event.type === 'session.ready') {
      this.onSessionConfigured(event.session_id);
      return;
    }
    if (this.state !== 'ready') {
      this.logger.warn('openai realtime: event before the session was configured ignored', { type: event.type });
      return;
    }
    switch (event.type) {
      case 'reply.started':
        this.turns = responseCreated(this.turns);
        break;
      case 'tool.call':
        this.turns = functionCalled(this.turns, event.call_id);
        break;
      case 'input.speech.started':
        this.turns = callerSpoke(this.turns);
        // The server cancels the reply itself (interrupt_response); what is still on its way is not played.
        if (this.interruptResponse) this.playback.muteCurrentItem();
        break;
      case 'session.error':
        this.counters.sessionErrors++;
        this.logger.warn('openai realtime: response failed', {
          sessionId: this.currentSessionId,
          code: event.code,
          message: event.message,
        });
        break;
      case 'reply.done':
        this.finishReply(event);
        return;
    }
    this.emit(() => this.callbacks.onEvent(event));
  }

  private finishReply(event: ReplyDoneEvent): void {
    this.turns = responseFinished(this.turns, event.status === 'interrupted' ? 'interrupted' : 'completed');
    this.deliveringReplyDone = true;
    try {
      this.callbacks.onEvent(event);
    } catch (error) {
      this.logger.error('openai realtime: callback threw', { error: describeError(error) });
    } finally {
      this.deliveringReplyDone = false;
    }
    if (this.state === 'ready') this.sendDueReply();
  }

  private onSessionConfigured(sessionId: string): void {
    if (this.state !== 'connecting' && this.state !== 'reconnecting') return;
    this.clearTimer('readyTimer');
    this.clearTimer('recoveryTimer');
    this.currentSessionId = sessionId;
    this.state = 'ready';
    this.attempt = 0;
    this.serverErrorTimes = [];
    const socket = this.socket as WebSocket;
    const rebuilt = this.rebuilding;
    const history = rebuilt ? historyToSeed(this.sessionConfig.history, this.settings.historyTurnLimit) : [];
    for (const turn of history) socket.send(encodeHistoryMessage(turn.role === 'caller' ? 'user' : 'assistant', turn.text));
    const greeting = greetingInstructions(this.sessionConfig.greeting);
    if (greeting) this.turns = replyRequested(this.turns, { instructions: greeting });
    for (const message of this.pendingMessages.drain()) {
      if (message.kind === 'session.update') socket.send(message.text);
      else this.turns = replyRequested(this.turns, message.request);
    }
    this.sendDueReply();
    const buffered = this.audioBuffer.drain();
    for (const audio of buffered) socket.send(encodeInputAudioAppend(audio));
    this.counters.audioFlushedAfterReconnect += buffered.length;
    this.counters.audioSent += buffered.length;

    if (!rebuilt) {
      this.logger.log('openai realtime: session ready', { sessionId });
      this.emit(() => this.callbacks.onEvent({ type: 'session.ready', session_id: sessionId }));
      return;
    }
    this.counters.freshSessions++;
    this.logger.log('openai realtime: new session ready', {
      sessionId,
      historyTurns: history.length,
      bufferedAudioFlushed: buffered.length,
      audioDroppedBufferFull: this.counters.audioDroppedBufferFull,
    });
    this.emit(() => this.callbacks.onResumed({ fresh: true, sessionId }));
  }

  private onServerError(error: Extract<OpenAiServerEvent, { type: 'error' }>): void {
    const configured = this.state === 'ready';
    // An error naming our response.create means the server did not start that response.
    if (error.event_id !== undefined) this.turns = responseCreateRefused(this.turns, error.event_id);
    if (isServerError(error)) {
      this.serverErrorTimes = serverErrorsWithin(this.serverErrorTimes, Date.now(), this.settings.serverErrorWindowMs);
    }
    const disposition = errorDisposition(error, { configured, recentServerErrors: this.serverErrorTimes.length }, this.settings);
    const context = {
      sessionId: this.currentSessionId,
      code: error.code,
      message: error.message,
      param: error.param,
      eventId: error.event_id,
    };
    switch (disposition) {
      case 'response-busy':
        this.counters.responseCreatesRefused++;
        this.turns = responseCreateRefused(this.turns);
        this.logger.log('openai realtime: response.create met a response already running', context);
        return;
      case 'fatal':
        this.logger.error('openai realtime: fatal session error', context);
        this.emit(() => this.callbacks.onEvent(sessionErrorFrom(error)));
        this.finish({ kind: 'fatal-error', code: error.code, message: error.message });
        return;
      case 'rebuild-session':
        this.emit(() => this.callbacks.onEvent(sessionErrorFrom(error)));
        if (this.state === 'ready') this.rebuildSession(`session over: ${error.code}`);
        return;
      case 'reported':
        this.counters.sessionErrors++;
        this.logger.warn('openai realtime: session error', context);
        this.emit(() => this.callbacks.onEvent(sessionErrorFrom(error)));
        if (this.state === 'ready' && !this.deliveringReplyDone) this.sendDueReply();
        return;
    }
  }

  // ---------- helpers ----------

  /** The one response.create owed now, if any and no response is active. */
  private sendDueReply(): void {
    const eventId = `response_create_${this.responseCreateCount + 1}`;
    const step = startDueReply(this.turns, eventId);
    this.turns = step.turns;
    if (!step.reply) return;
    this.responseCreateCount++;
    this.counters.responseCreatesSent++;
    (this.socket as WebSocket).send(encodeResponseCreate(eventId, step.reply.instructions));
  }

  private sendOrQueue(message: PendingMessage): void {
    if (this.state === 'ready' && message.kind === 'session.update') {
      (this.socket as WebSocket).send(message.text);
      return;
    }
    if (this.state === 'idle' || this.state === 'connecting' || this.state === 'reconnecting') {
      if (this.pendingMessages.push(message)) {
        this.counters.messagesDropped++;
        this.logger.warn('openai realtime: pending message queue full, oldest dropped');
      }
      return;
    }
    this.counters.messagesDropped++;
    this.logger.warn('openai realtime: message after end dropped', { kind: message.kind });
  }

  private finish(reason: ConnectionClosedReason): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.options.watchdog?.unwatch(this);
    this.clearTimer('retryTimer');
    this.clearTimer('readyTimer');
    this.clearTimer('recoveryTimer');
    this.detachSocket();
    this.audioBuffer.drain();
    this.pendingMessages.drain();
    this.logger.log('openai realtime: connection closed', {
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
      this.logger.warn('openai realtime: provider did not answer in time; giving up on it', { deadlineMs, what });
      this.finish({ kind: 'lost', message: `${what} within ${deadlineMs} ms` });
    }, deadlineMs);
  }

  private clearTimer(name: 'retryTimer' | 'readyTimer' | 'recoveryTimer'): void {
    const timer = this[name];
    if (timer) clearTimeout(timer);
    this[name] = undefined;
  }

  // A throwing callback must not break the socket's event handling.
  private emit(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.logger.error('openai realtime: callback threw', { error: describeError(error) });
    }
  }
}
