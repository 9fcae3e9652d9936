import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { LOCAL_OPENAI_PROVIDER_PATH, LOCAL_PROVIDER_CONTROL_PATH, LOCAL_PROVIDER_PATH } from '../../config/app-config';
import { decodeClientFrame, encodeReplyAudio } from '../voice-agent-wire';
import { FieldLogger, silentLogger } from '../../common/field-logger';
import { VOICE_AGENT_VOICES } from '../voice-agent.voices';
import {
  ControlEvent,
  LocalProviderFault,
  ObservedDirection,
  parseControlRequest,
  SessionLifecycleEvent,
} from './local-provider-control.messages';
import { LocalRealtimeEndpoint } from './local-openai-realtime.endpoint';
import { validateInitialSession } from './local-session-config.validator';
import { LOCAL_CALL_ID_HEADER } from './local-voice-agent.provider';
import { PacedReplies, ReplyTicker } from './local-agent.conversation';
import { LocalAgentSession, LocalSessionSettings } from './local-voice-agent.session';

export interface LocalVoiceAgentServerOptions {
  msPerWord?: number;
  /** Thinking time before every reply, unless a call is paced otherwise (control `pace`). */
  replyDelayMs?: number;
  frameMs?: number;
  resumeWindowMs?: number;
  // Simulated agent start-up between session.update and session.ready.
  readyDelayMs?: number;
  toolArgumentsAsString?: boolean;
  agentTranscript?: LocalSessionSettings['agentTranscript'];
  // When set, the upgrade must carry "Authorization: Bearer <apiKey>" (else session.error UNAUTHORIZED,
  // or HTTP 401 on the OpenAI path, which otherwise takes any non-empty key).
  apiKey?: string;
  voices?: readonly string[];
  logger?: FieldLogger;
}

interface AgentConnection {
  ws: WebSocket;
  callId: string;
  session: LocalAgentSession | undefined;
  readyTimer: NodeJS.Timeout | undefined;
  /** What the service sends here goes nowhere (fault lose-incoming or black-hole). */
  deaf: boolean;
  /** Nothing is sent from here (fault black-hole). */
  mute: boolean;
}

type ErrorCode =
  'invalid_config' | 'invalid_value' | 'invalid_format' | 'invalid_audio' | 'session_not_found' | 'session_forbidden' | 'UNAUTHORIZED';

/**
 * A wire-compatible Voice Agent API server for development, demos and tests (never production:
 * the app decides whether to mount it). Caller speech arrives as text on the control channel.
 * The same brain also speaks the OpenAI Realtime GA wire on LOCAL_OPENAI_PROVIDER_PATH
 * (local-openai-realtime.endpoint.ts), driven by the same control channel.
 */
export class LocalVoiceAgentServer {
  private readonly settings: LocalSessionSettings;
  private readonly resumeWindowMs: number;
  private readonly readyDelayMs: number;
  private readonly logger: FieldLogger;
  private readonly agentSockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly controlSockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly connections = new Set<AgentConnection>();
  private readonly sessions = new Map<string, LocalAgentSession>();
  private readonly latestSessionByCall = new Map<string, LocalAgentSession>();
  private readonly connectionBySession = new Map<LocalAgentSession, AgentConnection>();
  private readonly expiryTimers = new Map<LocalAgentSession, NodeJS.Timeout>();
  private readonly subscriptions = new Map<WebSocket, Set<string>>();
  private readonly playing = new Set<PacedReplies>();
  private readonly faults = new Map<string, Set<LocalProviderFault>>();
  private readonly replyDelays = new Map<string, number>();
  /** Calls whose agent misses requests for a person (control `ignore-requests-for-people`). */
  private readonly ignoringRequestsForPeople = new Set<string>();
  /** Upgrades left hanging by a black-hole fault, destroyed on close. */
  private readonly hungSockets = new Set<Duplex>();
  private readonly realtime: LocalRealtimeEndpoint;
  private frameTimer: NodeJS.Timeout | undefined;
  private httpServer: Server | undefined;
  private anonymousCalls = 0;
  private closed = false;

  private readonly ticker: ReplyTicker = {
    now: () => Date.now(),
    start: (replies) => {
      this.playing.add(replies);
      this.frameTimer ??= setInterval(() => this.playFrames(), this.settings.frameMs);
    },
  };

  constructor(private readonly options: LocalVoiceAgentServerOptions = {}) {
    this.settings = {
      msPerWord: options.msPerWord ?? 150,
      frameMs: options.frameMs ?? 20,
      toolArgumentsAsString: options.toolArgumentsAsString ?? false,
      agentTranscript: options.agentTranscript ?? 'after-audio',
      voices: options.voices ?? VOICE_AGENT_VOICES,
    };
    this.resumeWindowMs = options.resumeWindowMs ?? 30_000;
    this.readyDelayMs = options.readyDelayMs ?? 0;
    this.logger = options.logger ?? silentLogger;
    this.realtime = new LocalRealtimeEndpoint({
      settings: this.settings,
      apiKey: options.apiKey,
      ticker: this.ticker,
      logger: this.logger,
      hasFault: (callId, fault) => this.hasFault(callId, fault),
      replyDelayMs: (callId) => this.replyDelayOf(callId),
      ignoresRequestsForPeople: (callId) => this.ignoringRequestsForPeople.has(callId),
      hang: (socket) => this.hang(socket),
      stopPlaying: (replies) => this.playing.delete(replies),
      observe: (callId, sessionId, direction, message) => this.observe(callId, sessionId, direction, message),
      lifecycle: (type, session, reason) => this.lifecycle(type, session, reason),
    });
  }

  static readonly agentPath = LOCAL_PROVIDER_PATH;
  static readonly controlPath = LOCAL_PROVIDER_CONTROL_PATH;
  static readonly openaiPath = LOCAL_OPENAI_PROVIDER_PATH;

  handles(request: IncomingMessage): boolean {
    return SERVED_PATHS.includes(pathOf(request));
  }

  // For the app's HTTP server "upgrade" event. Returns false when the path is not ours.
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = pathOf(request);
    if (!SERVED_PATHS.includes(path)) return false;
    if (this.closed) {
      socket.destroy();
      return true;
    }
    if (path === LOCAL_OPENAI_PROVIDER_PATH) {
      this.realtime.handleUpgrade(request, socket, head);
    } else if (path === LOCAL_PROVIDER_PATH) {
      const faults = this.faults.get(callIdOf(request) ?? '');
      if (faults?.has('refuse-connections')) {
        socket.destroy();
        return true;
      }
      if (faults?.has('black-hole')) {
        this.hang(socket);
        return true;
      }
      this.agentSockets.handleUpgrade(request, socket, head, (ws) => this.onAgentSocket(ws, request));
    } else {
      this.controlSockets.handleUpgrade(request, socket, head, (ws) => this.onControlSocket(ws));
    }
    return true;
  }

  // Standalone mode for benches and tests. Returns the bound port (pass 0 for any free port).
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    const server = createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.handleUpgrade(request, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.httpServer = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopFrames();
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    for (const connection of this.connections) {
      if (connection.readyTimer) clearTimeout(connection.readyTimer);
      connection.ws.terminate();
    }
    this.connections.clear();
    this.realtime.close();
    for (const ws of this.subscriptions.keys()) ws.terminate();
    this.subscriptions.clear();
    for (const socket of this.hungSockets) socket.destroy();
    this.hungSockets.clear();
    this.faults.clear();
    this.replyDelays.clear();
    this.ignoringRequestsForPeople.clear();
    this.sessions.clear();
    this.latestSessionByCall.clear();
    this.connectionBySession.clear();
    this.agentSockets.close();
    this.controlSockets.close();
    const server = this.httpServer;
    this.httpServer = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  // ---------- provider sockets ----------

  private onAgentSocket(ws: WebSocket, request: IncomingMessage): void {
    const callId = callIdOf(request) ?? `anonymous-${++this.anonymousCalls}`;
    const connection: AgentConnection = { ws, callId, session: undefined, readyTimer: undefined, deaf: false, mute: false };
    this.connections.add(connection);
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.onAgentFrame(connection, data.toString(), isBinary));
    ws.on('close', () => this.onAgentClose(connection));
    ws.on('error', (error: Error) => this.logger.warn('local provider: socket error', { callSid: callId, error: error.message }));
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      this.sendError(connection, 'UNAUTHORIZED', 'missing or invalid API key');
      ws.close(1008, 'unauthorized');
    }
  }

  private onAgentFrame(connection: AgentConnection, text: string, isBinary: boolean): void {
    if (connection.deaf) return;
    if (isBinary) {
      this.sendError(connection, 'invalid_format', 'binary frames are not accepted; send JSON text frames');
      return;
    }
    const frame = decodeClientFrame(text);
    const session = connection.session;
    if (frame.kind === 'audio') {
      if (session?.ready && !session.ended) session.receiveAudio(Date.now());
      else this.sendError(connection, 'invalid_audio', 'input.audio before session.ready');
      return;
    }
    if (frame.kind === 'malformed') {
      if (session) this.sendError(connection, 'invalid_format', frame.reason);
      else this.refuseFirstMessage(connection, frame.reason);
      return;
    }
    this.observe(connection.callId, session?.id ?? null, 'client-to-provider', frame.raw);
    if (frame.kind === 'unknown') {
      if (session) this.sendError(connection, 'invalid_value', `unknown message type ${frame.type}`);
      else this.refuseFirstMessage(connection, `first message was ${frame.type}`);
      return;
    }
    const message = frame.message;
    if (!session) {
      if (message.type === 'session.update') this.openSession(connection, message.session);
      else if (message.type === 'session.resume') this.resumeSession(connection, message.session_id);
      else this.refuseFirstMessage(connection, `first message was ${message.type}`);
      return;
    }
    if (message.type === 'session.end') {
      this.endSession(connection, session);
      return;
    }
    if (!session.ready) {
      this.sendError(connection, 'invalid_value', `${message.type} before session.ready`);
      return;
    }
    switch (message.type) {
      case 'session.update':
        session.update(message.session);
        return;
      case 'tool.result':
        session.toolResult(message.call_id, message.result);
        return;
      case 'reply.create':
        session.replyCreate(typeof message.instructions === 'string' ? message.instructions : undefined);
        return;
      case 'session.resume':
        this.sendError(connection, 'invalid_value', 'session.resume is only valid as the first message of a new socket');
        return;
    }
  }

  private refuseFirstMessage(connection: AgentConnection, why: string): void {
    this.sendError(connection, 'invalid_config', `the first message must be session.update (${why})`);
    connection.ws.close(1008, 'session.update first');
  }

  private openSession(connection: AgentConnection, raw: unknown): void {
    const check = validateInitialSession(raw, this.settings.voices);
    if (!check.ok) {
      // Nothing can run on a rejected first config.
      this.sendError(connection, check.problem.code, check.problem.message, check.problem.param);
      connection.ws.close(1008, 'invalid session config');
      return;
    }
    const session = new LocalAgentSession(
      `sess_${randomUUID().replace(/-/g, '')}`,
      connection.callId,
      check.config,
      this.settings,
      this.ticker,
    );
    session.setReplyDelay(this.replyDelayOf(connection.callId));
    session.setIgnoreRequestsForPeople(this.ignoringRequestsForPeople.has(connection.callId));
    this.sessions.set(session.id, session);
    this.latestSessionByCall.set(connection.callId, session);
    this.bind(connection, session);
    if (this.hasFault(connection.callId, 'withhold-ready')) return;
    connection.readyTimer = setTimeout(() => {
      connection.readyTimer = undefined;
      this.lifecycle('session-opened', session);
      this.logger.log('local provider: session opened', { callSid: session.callId, sessionId: session.id });
      session.start();
    }, this.readyDelayMs);
  }

  private resumeSession(connection: AgentConnection, sessionId: unknown): void {
    const session = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    if (!session || session.ended || session.refuseResume) {
      this.sendError(connection, 'session_not_found', `no resumable session ${String(sessionId)}`, 'session_id');
      if (session) this.discard(session, 'resume refused');
      connection.ws.close(1008, 'session not found');
      return;
    }
    if (session.callId !== connection.callId) {
      this.sendError(connection, 'session_forbidden', 'that session belongs to another call', 'session_id');
      connection.ws.close(1008, 'session forbidden');
      return;
    }
    const previous = this.connectionBySession.get(session);
    if (previous && previous !== connection) {
      previous.session = undefined;
      previous.ws.terminate();
    }
    const expiry = this.expiryTimers.get(session);
    if (expiry) clearTimeout(expiry);
    this.expiryTimers.delete(session);
    this.latestSessionByCall.set(session.callId, session);
    this.bind(connection, session);
    if (this.hasFault(connection.callId, 'withhold-ready')) return;
    this.lifecycle('session-resumed', session);
    this.logger.log('local provider: session resumed', { callSid: session.callId, sessionId: session.id });
    session.resume();
  }

  private bind(connection: AgentConnection, session: LocalAgentSession): void {
    connection.session = session;
    this.connectionBySession.set(session, connection);
    const ws = connection.ws;
    session.attach({
      send: (message) => {
        if (connection.mute) return;
        this.observe(session.callId, session.id, 'provider-to-client', message);
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      sendAudio: (audio) => {
        if (!connection.mute && ws.readyState === WebSocket.OPEN) ws.send(encodeReplyAudio(audio));
      },
    });
  }

  private endSession(connection: AgentConnection, session: LocalAgentSession): void {
    const seconds = session.end(Date.now());
    this.send(connection, { type: 'session.ended', session_duration_seconds: seconds });
    this.discard(session, 'ended');
    connection.ws.close(1000, 'session ended');
  }

  private onAgentClose(connection: AgentConnection): void {
    this.connections.delete(connection);
    if (connection.readyTimer) clearTimeout(connection.readyTimer);
    connection.readyTimer = undefined;
    const session = connection.session;
    connection.session = undefined;
    if (!session || this.connectionBySession.get(session) !== connection) return;
    this.connectionBySession.delete(session);
    session.detach();
    this.playing.delete(session);
    if (session.ended || this.closed) return;
    if (!session.ready) {
      this.discard(session, 'closed before ready');
      return;
    }
    this.lifecycle('session-dropped', session);
    this.logger.warn('local provider: socket dropped, session kept for resume', { callSid: session.callId, sessionId: session.id });
    this.expiryTimers.set(
      session,
      setTimeout(() => this.discard(session, 'resume window expired'), this.resumeWindowMs),
    );
  }

  private discard(session: LocalAgentSession, reason: string): void {
    if (!this.sessions.has(session.id)) return;
    this.sessions.delete(session.id);
    if (this.latestSessionByCall.get(session.callId) === session) this.latestSessionByCall.delete(session.callId);
    const expiry = this.expiryTimers.get(session);
    if (expiry) clearTimeout(expiry);
    this.expiryTimers.delete(session);
    this.playing.delete(session);
    if (!session.ended) session.end(Date.now());
    this.lifecycle('session-closed', session, reason);
    this.logger.log('local provider: session closed', { callSid: session.callId, sessionId: session.id, reason });
  }

  private sendError(connection: AgentConnection, code: ErrorCode | string, message: string, param?: string): void {
    const error: Record<string, unknown> = { type: 'session.error', code, message };
    if (param) error.param = param;
    this.send(connection, error);
  }

  private send(connection: AgentConnection, message: Record<string, unknown>): void {
    if (connection.mute) return;
    this.observe(connection.callId, connection.session?.id ?? null, 'provider-to-client', message);
    if (connection.ws.readyState === WebSocket.OPEN) connection.ws.send(JSON.stringify(message));
  }

  // ---------- reply audio pacing ----------

  // One timer for every playing session; each sends the frames due by now (real-time pace).
  private playFrames(): void {
    const now = Date.now();
    for (const replies of this.playing) {
      if (!replies.tick(now)) this.playing.delete(replies);
    }
    if (this.playing.size === 0) this.stopFrames();
  }

  private stopFrames(): void {
    if (this.frameTimer) clearInterval(this.frameTimer);
    this.frameTimer = undefined;
  }

  // ---------- control channel ----------

  private onControlSocket(ws: WebSocket): void {
    this.subscriptions.set(ws, new Set());
    ws.on('message', (data: WebSocket.RawData) => this.onControlMessage(ws, data.toString()));
    ws.on('close', () => this.subscriptions.delete(ws));
    ws.on('error', (error: Error) => this.logger.warn('local provider: control socket error', { error: error.message }));
  }

  private onControlMessage(ws: WebSocket, text: string): void {
    const parsed = parseControlRequest(text);
    if (!parsed.ok) {
      this.reply(ws, { type: 'control-error', message: parsed.message, requestId: parsed.requestId });
      return;
    }
    const request = parsed.request;
    const fail = (message: string) => this.reply(ws, { type: 'control-error', message, requestId: request.requestId });
    const ack = () => this.reply(ws, { type: 'ack', request: request.type, requestId: request.requestId });
    switch (request.type) {
      case 'subscribe':
        this.subscriptions.get(ws)?.add(request.callId);
        return ack();
      case 'unsubscribe':
        this.subscriptions.get(ws)?.delete(request.callId);
        return ack();
      case 'say': {
        const session = this.liveSession(request.callId) ?? this.realtime.liveSession(request.callId);
        if (!session) return fail(`no live session for call ${request.callId}`);
        session.callerSays(request.text);
        return ack();
      }
      case 'force-tool-call': {
        const session = this.liveSession(request.callId) ?? this.realtime.liveSession(request.callId);
        if (!session) return fail(`no live session for call ${request.callId}`);
        session.forceToolCall(
          request.name,
          request.arguments ?? {},
          request.argumentsAsString ?? this.settings.toolArgumentsAsString,
          request.rawArguments,
          request.alongside,
        );
        return ack();
      }
      case 'drop-socket': {
        if (this.realtime.dropSocket(request.callId)) return ack();
        const session = this.latestSessionByCall.get(request.callId);
        const connection = session && this.connectionBySession.get(session);
        if (!session || !connection) return fail(`no connected session for call ${request.callId}`);
        if (request.refuseResume) session.refuseResume = true;
        connection.ws.terminate();
        return ack();
      }
      case 'inject-fault':
        this.injectFault(request.callId, request.fault);
        return ack();
      case 'pace':
        this.pace(request.callId, request.replyDelayMs);
        return ack();
      case 'ignore-requests-for-people':
        this.ignoreRequestsForPeople(request.callId, request.ignore);
        return ack();
      case 'stats': {
        const session = this.latestSessionByCall.get(request.callId) ?? this.realtime.session(request.callId);
        if (!session) return fail(`no session for call ${request.callId}`);
        return this.reply(ws, { type: 'stats', callId: request.callId, ...session.stats(), requestId: request.requestId });
      }
      case 'configure':
        if (request.toolArgumentsAsString !== undefined) this.settings.toolArgumentsAsString = request.toolArgumentsAsString;
        return ack();
    }
  }

  private injectFault(callId: string, fault: LocalProviderFault): void {
    const faults = this.faults.get(callId) ?? new Set<LocalProviderFault>();
    faults.add(fault);
    this.faults.set(callId, faults);
    if (this.realtime.applyFault(callId, fault)) {
      if (fault === 'end-session' || fault === 'lose-incoming') faults.delete(fault);
      return;
    }
    const session = this.latestSessionByCall.get(callId);
    const connection = session && this.connectionBySession.get(session);
    if (!session || !connection) return;
    switch (fault) {
      case 'end-session':
        faults.delete(fault);
        this.endSession(connection, session);
        return;
      case 'black-hole':
        // Stop reading (so pings go unanswered) and writing, and keep the socket open: a silent TCP path.
        connection.deaf = true;
        connection.mute = true;
        connection.ws.pause();
        this.playing.delete(session);
        return;
      case 'lose-incoming':
        faults.delete(fault);
        connection.deaf = true;
        return;
      case 'withhold-ready':
      case 'refuse-connections':
        return;
    }
  }

  private replyDelayOf(callId: string): number {
    return this.replyDelays.get(callId) ?? this.options.replyDelayMs ?? 0;
  }

  // Kept per call, so sessions opened later (a fresh session after a refused resume, a rebuilt OpenAI session) are paced too.
  private pace(callId: string, replyDelayMs: number): void {
    if (replyDelayMs === (this.options.replyDelayMs ?? 0)) this.replyDelays.delete(callId);
    else this.replyDelays.set(callId, replyDelayMs);
    for (const session of this.sessions.values()) if (session.callId === callId) session.setReplyDelay(replyDelayMs);
    this.realtime.pace(callId, replyDelayMs);
  }

  // Kept per call like pace, so sessions opened later for the call miss requests for a person too.
  private ignoreRequestsForPeople(callId: string, ignore: boolean): void {
    if (ignore) this.ignoringRequestsForPeople.add(callId);
    else this.ignoringRequestsForPeople.delete(callId);
    for (const session of this.sessions.values()) if (session.callId === callId) session.setIgnoreRequestsForPeople(ignore);
    this.realtime.ignoreRequestsForPeople(callId, ignore);
  }

  private hang(socket: Duplex): void {
    this.hungSockets.add(socket);
    socket.on('close', () => this.hungSockets.delete(socket));
  }

  private hasFault(callId: string, fault: LocalProviderFault): boolean {
    return this.faults.get(callId)?.has(fault) ?? false;
  }

  private liveSession(callId: string): LocalAgentSession | undefined {
    const session = this.latestSessionByCall.get(callId);
    return session && session.ready && session.connected && !session.ended ? session : undefined;
  }

  private reply(ws: WebSocket, event: ControlEvent): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
  }

  private observe(callId: string, sessionId: string | null, direction: ObservedDirection, message: Record<string, unknown>): void {
    this.broadcast(callId, () => ({ type: 'observed', callId, sessionId, direction, message, at: Date.now() }));
  }

  private lifecycle(type: SessionLifecycleEvent['type'], session: { callId: string; id: string }, reason?: string): void {
    this.broadcast(session.callId, () => ({
      type,
      callId: session.callId,
      sessionId: session.id,
      ...(reason ? { reason } : {}),
      at: Date.now(),
    }));
  }

  // Built and serialised once, only when someone listens.
  private broadcast(callId: string, build: () => ControlEvent): void {
    if (this.subscriptions.size === 0) return;
    let payload: string | undefined;
    for (const [ws, calls] of this.subscriptions) {
      if (!calls.has('*') && !calls.has(callId)) continue;
      payload ??= JSON.stringify(build());
      if (ws.readyState === WebSocket.OPEN) ws.send(payload);
    }
  }
}

const SERVED_PATHS = [LOCAL_PROVIDER_PATH, LOCAL_PROVIDER_CONTROL_PATH, LOCAL_OPENAI_PROVIDER_PATH];

function callIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers[LOCAL_CALL_ID_HEADER];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
