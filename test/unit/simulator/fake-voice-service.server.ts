import { EventEmitter } from 'node:events';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import twilio from 'twilio';
import WebSocket, { WebSocketServer } from 'ws';
import { twilioClientAt } from './redirected-twilio-client';

/*
 * Plays our service toward the simulator, just enough to test it over real sockets:
 * the voice webhook and status callback, the Media Stream, and a scripted stand-in for the
 * local provider's control channel.
 */

export interface FakeVoiceServiceOptions {
  authToken?: string;
  /** The URL Twilio is told to reach (used in TwiML and for signature checks). Defaults to the real address. */
  publicBaseUrl?: string;
  /** Query string appended to the Stream URL in the TwiML. */
  streamQuery?: string;
  streamStatus?: number;
  /** Drive the control channel like the local provider (greeting, replies, tools, handoffs). */
  brain?: boolean;
  /** More signed POST routes (by path, without the query), answering TwiML: a transfer's whisper and result. */
  routes?: Record<string, (request: FakeRequest) => string | { status: number; body: string }>;
  /** With the brain: a caller asking for a person is moved through Twilio's REST API (at restUrl) with this TwiML. */
  humanTransfer?: { restUrl: string; accountSid: string; authToken: string; twiml: (service: FakeVoiceService) => string };
}

export interface FakeRequest {
  /** The path with its query, as requested. */
  path: string;
  params: Record<string, string>;
  signature?: string;
  signatureValid: boolean;
}

export interface TwilioFrame {
  event: string;
  sequenceNumber?: string;
  streamSid?: string;
  protocol?: string;
  version?: string;
  start?: {
    streamSid: string;
    accountSid: string;
    callSid: string;
    tracks: string[];
    customParameters: Record<string, string>;
    mediaFormat: { encoding: string; sampleRate: number; channels: number };
  };
  media?: { track: string; chunk: string; timestamp: string; payload: string };
  mark?: { name: string };
  dtmf?: { track: string; digit: string };
  stop?: { accountSid: string; callSid: string };
}

export class FakeMediaStream {
  readonly received: TwilioFrame[] = [];
  readonly rawFrames: string[] = [];
  closed = false;
  closeCode?: number;
  closeReason?: string;

  constructor(
    readonly socket: WebSocket,
    private readonly changes: EventEmitter,
  ) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.rawFrames.push(text);
      this.received.push(JSON.parse(text) as TwilioFrame);
      changes.emit('update');
    });
    socket.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString();
      changes.emit('update');
    });
  }

  get streamSid(): string | undefined {
    return this.received.find((frame) => frame.event === 'start')?.streamSid;
  }

  get callSid(): string | undefined {
    return this.received.find((frame) => frame.event === 'start')?.start?.callSid;
  }

  events(name: string): TwilioFrame[] {
    return this.received.filter((frame) => frame.event === name);
  }

  send(frame: Record<string, unknown> | string | Buffer): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  sendAudio(frames: number, bytesPerFrame = 160): void {
    const payload = Buffer.alloc(bytesPerFrame, 0x7f).toString('base64');
    for (let index = 0; index < frames; index++) {
      this.send({ event: 'media', streamSid: this.streamSid, media: { payload } });
    }
  }

  sendMark(name: string): void {
    this.send({ event: 'mark', streamSid: this.streamSid, mark: { name } });
  }

  sendClear(): void {
    this.send({ event: 'clear', streamSid: this.streamSid });
  }
}

export class FakeVoiceService extends EventEmitter {
  readonly requests: FakeRequest[] = [];
  readonly streams: FakeMediaStream[] = [];
  readonly upgradeSignatures: { url: string; signature?: string; valid: boolean }[] = [];
  private readonly server = http.createServer((request, response) => this.onRequest(request, response));
  private readonly mediaServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly controlServer = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();
  private readonly controlClients = new Map<WebSocket, string | undefined>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  constructor(private readonly options: FakeVoiceServiceOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.server.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket as Socket, head));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get publicBaseUrl(): string {
    return this.options.publicBaseUrl ?? this.baseUrl;
  }

  get streamUrl(): string {
    const base = this.publicBaseUrl.replace(/^http/, 'ws');
    return `${base}/twilio/media-stream${this.options.streamQuery ?? ''}`;
  }

  waitFor<T>(probe: () => T | undefined | false, timeoutMs = 3000, description = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined || value === false) {
          return false;
        }
        clearTimeout(timer);
        this.off('update', onUpdate);
        resolve(value);
        return true;
      };
      const onUpdate = (): void => void check();
      const timer = setTimeout(() => {
        this.off('update', onUpdate);
        reject(new Error(`fake service: timed out waiting for ${description}`));
      }, timeoutMs);
      if (!check()) {
        this.on('update', onUpdate);
      }
    });
  }

  waitForStream(): Promise<FakeMediaStream> {
    return this.waitFor(() => this.streams.find((stream) => stream.streamSid !== undefined), 3000, 'a started Media Stream');
  }

  async close(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    for (const client of [...this.mediaServer.clients, ...this.controlServer.clients]) {
      client.terminate();
    }
    this.sockets.forEach((socket) => socket.destroy());
    this.mediaServer.close();
    this.controlServer.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private isSigned(url: string, params: Record<string, string>, signature: string | undefined): boolean {
    return this.options.authToken === undefined || twilio.validateRequest(this.options.authToken, signature ?? '', url, params);
  }

  private onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = request.headers['x-twilio-signature'] as string | undefined;
      const signatureValid = this.isSigned(`${this.publicBaseUrl}${path}`, params, signature);
      this.requests.push({ path, params, signature, signatureValid });
      this.emit('update');
      if (!signatureValid) {
        response.writeHead(403, { 'Content-Type': 'application/json' }).end('{"statusCode":403,"message":"invalid signature"}');
      } else if (path === '/twilio/voice' && request.method === 'POST') {
        response.writeHead(200, { 'Content-Type': 'text/xml' }).end(this.twiml(params));
      } else if (path === '/twilio/status' && request.method === 'POST') {
        response.writeHead(204).end();
      } else if (request.method === 'POST' && this.options.routes?.[path.split('?')[0]]) {
        const answer = this.options.routes[path.split('?')[0]](this.requests[this.requests.length - 1]);
        const { status, body } = typeof answer === 'string' ? { status: 200, body: answer } : answer;
        response.writeHead(status, { 'Content-Type': 'text/xml' }).end(body);
      } else {
        response.writeHead(404).end();
      }
    });
  }

  private twiml(params: Record<string, string>): string {
    return this.streamTwiml({ from: params.From, callSid: params.CallSid, note: 'Tom & Jerry "quoted"' });
  }

  /** <Connect><Stream> to this service's Media Stream URL, after an optional <Say>. */
  streamTwiml(parameters: Record<string, string>, say?: string): string {
    const url = escapeXml(this.streamUrl);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Response>',
      ...(say === undefined ? [] : [`  <Say>${escapeXml(say)}</Say>`]),
      '  <Connect>',
      `    <Stream url="${url}">`,
      ...Object.entries(parameters).map(([name, value]) => `      <Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`),
      '    </Stream>',
      '  </Connect>',
      '</Response>',
    ].join('\n');
  }

  private onUpgrade(request: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (path === '/local-provider/control') {
      this.controlServer.handleUpgrade(request, socket, head, (client) => this.onControlClient(client));
      return;
    }
    if (path !== '/twilio/media-stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const signature = request.headers['x-twilio-signature'] as string | undefined;
    const valid = this.isSigned(this.streamUrl, {}, signature);
    this.upgradeSignatures.push({ url: this.streamUrl, signature, valid });
    const status = valid ? this.options.streamStatus : 403;
    if (status !== undefined) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.mediaServer.handleUpgrade(request, socket, head, (client) => {
      const stream = new FakeMediaStream(client, this);
      this.streams.push(stream);
      this.emit('update');
      if (this.options.brain) {
        void this.waitFor(() => stream.streamSid).then(
          () => this.greet(stream),
          () => undefined,
        );
      }
    });
  }

  private onControlClient(client: WebSocket): void {
    this.controlClients.set(client, undefined);
    client.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; callId: string; text?: string; requestId?: string };
      // the latest stream of the call: after a transfer nobody answered the caller is on a new one
      const stream = [...this.streams].reverse().find((candidate) => candidate.callSid === message.callId && !candidate.closed);
      const reply = (answer: Record<string, unknown>): void => client.send(JSON.stringify({ ...answer, requestId: message.requestId }));
      if (message.type === 'subscribe') {
        this.controlClients.set(client, message.callId);
        reply({ type: 'ack', request: 'subscribe' });
      } else if (message.type === 'say' && !stream) {
        reply({ type: 'control-error', message: `no live session for call ${message.callId}` });
      } else if (message.type === 'say' && stream) {
        reply({ type: 'ack', request: 'say' });
        this.answer(stream, message.text ?? '');
      }
    });
  }

  private observe(callId: string, direction: 'client-to-provider' | 'provider-to-client', message: Record<string, unknown>): void {
    for (const [client, subscribed] of this.controlClients) {
      if (subscribed === callId && client.readyState === WebSocket.OPEN) {
        client.send(JSON.stringify({ type: 'observed', callId, sessionId: 'sess-1', direction, message, at: Date.now() }));
      }
    }
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private greet(stream: FakeMediaStream): void {
    const callId = stream.callSid as string;
    for (const [client, subscribed] of this.controlClients) {
      if (subscribed === callId) {
        client.send(JSON.stringify({ type: 'session-opened', callId, sessionId: 'sess-1', at: Date.now() }));
      }
    }
    this.observe(callId, 'client-to-provider', {
      type: 'session.update',
      session: { system_prompt: 'You are the triage agent for Acme.\nRoute callers.', tools: [{}, {}, {}] },
    });
    this.speak(stream, 'Hi, this is Avery from Acme support. How can I help?');
  }

  private speak(stream: FakeMediaStream, text: string, then?: () => void): void {
    const callId = stream.callSid as string;
    this.observe(callId, 'provider-to-client', { type: 'reply.started', reply_id: 'r' });
    if (!stream.closed) {
      stream.sendAudio(5);
    }
    this.observe(callId, 'provider-to-client', { type: 'transcript.agent', text });
    this.later(20, () => {
      this.observe(callId, 'provider-to-client', { type: 'reply.done' });
      then?.();
    });
  }

  private answer(stream: FakeMediaStream, text: string): void {
    const callId = stream.callSid as string;
    this.observe(callId, 'provider-to-client', { type: 'transcript.user', text });
    if (/human|person/i.test(text)) {
      this.observe(callId, 'provider-to-client', {
        type: 'tool.call',
        call_id: 'call-h',
        name: 'transfer_to_human',
        arguments: { reason: 'asked' },
      });
      const transfer = this.options.humanTransfer;
      if (transfer) {
        this.later(20, () => {
          this.observe(callId, 'provider-to-client', { type: 'session.ended' });
          void twilioClientAt(transfer.restUrl, transfer.accountSid, transfer.authToken)
            .calls(callId)
            .update({ twiml: transfer.twiml(this) })
            .catch((error: unknown) => this.emit('transfer-error', error));
        });
        return;
      }
      this.later(20, () => {
        this.observe(callId, 'provider-to-client', { type: 'session.ended' });
        stream.socket.close(1000);
      });
      return;
    }
    if (/refund/i.test(text)) {
      this.observe(callId, 'provider-to-client', {
        type: 'tool.call',
        call_id: 'call-r',
        name: 'transfer_to_refund',
        arguments: '{"reason":"refund"}',
      });
      this.speak(stream, 'Let me get you to refunds.', () => {
        this.observe(callId, 'client-to-provider', {
          type: 'session.update',
          session: { system_prompt: 'You are the refund specialist.', tools: [{}, {}, {}, {}, {}, {}, {}] },
        });
        this.observe(callId, 'client-to-provider', { type: 'tool.result', call_id: 'call-r', result: '{"transferred":true}' });
        this.later(30, () => this.speak(stream, 'Refunds here. Which order?'));
      });
      return;
    }
    this.speak(stream, 'Sure, anything else?');
  }
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
