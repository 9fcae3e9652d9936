import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { FieldLogger } from '../../common/field-logger';
import { ConversationSettings, PacedReplies, ReplyTicker } from './local-agent.conversation';
import { LocalProviderFault, ObservedDirection, SessionLifecycleEvent } from './local-provider-control.messages';
import { LocalRealtimeSession } from './local-openai-realtime.session';
import { asObject, problem } from './local-openai-session.validator';
import { LOCAL_CALL_ID_HEADER } from './local-voice-agent.provider';

// The OpenAI Realtime GA front end of the local server (LocalVoiceAgentServer mounts it on
// LOCAL_OPENAI_PROVIDER_PATH): the upgrade as the real API takes it (Bearer key, ?model=), one
// session per socket, and the faults the control channel can inject on this wire.

/** What the endpoint uses of the server it is mounted on: pacing, faults and the control channel. */
export interface RealtimeEndpointHost {
  readonly settings: ConversationSettings;
  // When set, the upgrade must carry "Authorization: Bearer <apiKey>"; otherwise any non-empty key passes.
  readonly apiKey: string | undefined;
  readonly ticker: ReplyTicker;
  readonly logger: FieldLogger;
  hasFault(callId: string, fault: LocalProviderFault): boolean;
  // The call's reply delay (the control channel's pace), 0 when none.
  replyDelayMs(callId: string): number;
  // Whether the call's agent misses requests for a person (the control channel's ignore-requests-for-people).
  ignoresRequestsForPeople(callId: string): boolean;
  // Keeps a black-holed upgrade open (never answered) until the server closes.
  hang(socket: Duplex): void;
  stopPlaying(replies: PacedReplies): void;
  observe(callId: string, sessionId: string | null, direction: ObservedDirection, message: Record<string, unknown>): void;
  lifecycle(type: SessionLifecycleEvent['type'], session: { callId: string; id: string }, reason?: string): void;
}

interface RealtimeConnection {
  ws: WebSocket;
  session: LocalRealtimeSession;
  // session.created was sent (withheld by the withhold-ready fault).
  opened: boolean;
  deaf: boolean;
  mute: boolean;
}

export class LocalRealtimeEndpoint {
  private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly connections = new Set<RealtimeConnection>();
  private readonly latestByCall = new Map<string, RealtimeConnection>();
  private anonymousCalls = 0;

  constructor(private readonly host: RealtimeEndpointHost) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const callId = callIdOf(request);
    if (callId && this.host.hasFault(callId, 'refuse-connections')) {
      socket.destroy();
      return;
    }
    if (callId && this.host.hasFault(callId, 'black-hole')) {
      this.host.hang(socket);
      return;
    }
    const refusal = upgradeRefusal(request, this.host.apiKey);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.body);
      return;
    }
    const model = modelOf(request) as string;
    this.sockets.handleUpgrade(request, socket, head, (ws) =>
      this.onSocket(ws, callId ?? `anonymous-openai-${++this.anonymousCalls}`, model),
    );
  }

  /** The call's session while its socket is open and session.created was sent. */
  liveSession(callId: string): LocalRealtimeSession | undefined {
    const connection = this.latestByCall.get(callId);
    return connection?.opened && !connection.session.ended ? connection.session : undefined;
  }

  /** The call's latest session still on a socket, ready or not. */
  session(callId: string): LocalRealtimeSession | undefined {
    return this.latestByCall.get(callId)?.session;
  }

  // There is no resume on this protocol: a dropped socket ends its session.
  dropSocket(callId: string): boolean {
    const connection = this.latestByCall.get(callId);
    if (!connection) return false;
    connection.ws.terminate();
    return true;
  }

  /** Applies a fault to the call's open socket; false when the call has none here. */
  applyFault(callId: string, fault: LocalProviderFault): boolean {
    const connection = this.latestByCall.get(callId);
    if (!connection) return false;
    switch (fault) {
      case 'end-session':
        // The real API's way of ending a session from its side: an error, then the close.
        connection.session.sendError(problem('session_expired', 'Your session hit the maximum duration.', null));
        connection.ws.close(1000, 'session expired');
        return true;
      case 'black-hole':
        // Stop reading (so pings go unanswered) and writing, and keep the socket open: a silent TCP path.
        connection.deaf = true;
        connection.mute = true;
        connection.ws.pause();
        this.host.stopPlaying(connection.session);
        return true;
      case 'lose-incoming':
        connection.deaf = true;
        return true;
      case 'withhold-ready':
      case 'refuse-connections':
        // They act on the next socket.
        return true;
    }
  }

  /** The call's sessions on this wire start every later response replyDelayMs late. */
  pace(callId: string, replyDelayMs: number): void {
    for (const connection of this.connections) {
      if (connection.session.callId === callId) connection.session.setReplyDelay(replyDelayMs);
    }
  }

  /** The call's sessions on this wire hear a request for a person as no request (or hear it again). */
  ignoreRequestsForPeople(callId: string, ignore: boolean): void {
    for (const connection of this.connections) {
      if (connection.session.callId === callId) connection.session.setIgnoreRequestsForPeople(ignore);
    }
  }

  close(): void {
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
    this.latestByCall.clear();
    this.sockets.close();
  }

  private onSocket(ws: WebSocket, callId: string, model: string): void {
    const session = new LocalRealtimeSession(`sess_${randomUUID().replace(/-/g, '')}`, callId, model, this.host.settings, this.host.ticker);
    session.setReplyDelay(this.host.replyDelayMs(callId));
    session.setIgnoreRequestsForPeople(this.host.ignoresRequestsForPeople(callId));
    const connection: RealtimeConnection = { ws, session, opened: false, deaf: false, mute: false };
    this.connections.add(connection);
    this.latestByCall.set(callId, connection);
    session.attach({
      send: (event) => {
        if (connection.mute) return;
        this.host.observe(callId, session.id, 'provider-to-client', event);
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
      },
      sendAudioDelta: (frame) => {
        if (!connection.mute && ws.readyState === WebSocket.OPEN) ws.send(frame);
      },
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.onFrame(connection, data.toString(), isBinary));
    ws.on('close', (code: number) => this.onClose(connection, code));
    ws.on('error', (error: Error) =>
      this.host.logger.warn('local openai provider: socket error', { callSid: callId, error: error.message }),
    );
    if (this.host.hasFault(callId, 'withhold-ready')) {
      // An agent that never starts: no session.created, nothing it is sent is acted on.
      connection.deaf = true;
      return;
    }
    connection.opened = true;
    session.open();
    this.host.lifecycle('session-opened', session);
    this.host.logger.log('local openai provider: session opened', { callSid: callId, sessionId: session.id, model });
  }

  private onFrame(connection: RealtimeConnection, text: string, isBinary: boolean): void {
    if (connection.deaf) return;
    const session = connection.session;
    if (isBinary) {
      session.sendError(problem('invalid_value', 'Binary frames are not accepted; send JSON text frames.', null));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      session.sendError(problem('invalid_json', 'The event is not valid JSON.', null));
      return;
    }
    const message = asObject(parsed);
    if (!message) {
      session.sendError(problem('invalid_json', 'The event must be a JSON object.', null));
      return;
    }
    // Caller audio is not observed, as on the AssemblyAI wire: 50 frames a second.
    if (message.type !== 'input_audio_buffer.append') this.host.observe(session.callId, session.id, 'client-to-provider', message);
    session.receive(message, Date.now());
  }

  private onClose(connection: RealtimeConnection, code: number): void {
    const session = connection.session;
    this.connections.delete(connection);
    if (this.latestByCall.get(session.callId) === connection) this.latestByCall.delete(session.callId);
    this.host.stopPlaying(session);
    session.end();
    if (!connection.opened) return;
    this.host.lifecycle('session-closed', session, `socket closed (${code}); no resume on this protocol`);
    this.host.logger.log('local openai provider: session closed', { callSid: session.callId, sessionId: session.id, code });
  }
}

// ---------- the upgrade ----------

function upgradeRefusal(
  request: IncomingMessage,
  apiKey: string | undefined,
): { status: 400 | 401; body: Record<string, unknown> } | undefined {
  const key = /^Bearer\s+(\S+)\s*$/.exec(request.headers.authorization ?? '')?.[1];
  if (!key || (apiKey !== undefined && key !== apiKey)) {
    return {
      status: 401,
      body: upgradeError('invalid_api_key', 'Missing or incorrect API key: send "Authorization: Bearer <key>".', null),
    };
  }
  if (!modelOf(request)) {
    return { status: 400, body: upgradeError('missing_required_parameter', "Missing required parameter: 'model'.", 'model') };
  }
  return undefined;
}

function upgradeError(code: string, message: string, param: string | null): Record<string, unknown> {
  return { error: { type: 'invalid_request_error', code, message, param } };
}

function refuseUpgrade(socket: Duplex, status: 400 | 401, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  const reason = status === 401 ? 'Unauthorized' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

function modelOf(request: IncomingMessage): string | undefined {
  const model = new URL(request.url ?? '/', 'http://local').searchParams.get('model');
  return model ? model : undefined;
}

function callIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers[LOCAL_CALL_ID_HEADER];
  return typeof header === 'string' && header !== '' ? header : undefined;
}
