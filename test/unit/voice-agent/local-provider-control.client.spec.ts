import { AddressInfo, createServer, Server, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { controlUrlFor, LocalProviderControlClient } from '../../../src/voice-agent/local/local-provider-control.client';
import { ControlEvent, ControlRequest, parseControlRequest } from '../../../src/voice-agent/local/local-provider-control.messages';

type Answer = (reply: Record<string, unknown>) => void;

/** Plays the local provider's side of the control channel: answers requests with `onRequest`, pushes events with `push`. */
class ControlPeer {
  readonly requests: ControlRequest[] = [];
  onRequest: (request: ControlRequest, answer: Answer) => void = (request, answer) => answer({ type: 'ack', request: request.type });
  private readonly server: WebSocketServer;
  private socket?: WebSocket;

  constructor(options: { refuseUpgradeWith?: number } = {}) {
    const refused = options.refuseUpgradeWith;
    this.server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: refused === undefined ? undefined : (_info, accept) => accept(false, refused),
    });
    this.server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data) => {
        const request = JSON.parse(data.toString()) as ControlRequest;
        this.requests.push(request);
        this.onRequest(request, (reply) => socket.send(JSON.stringify({ ...reply, requestId: request.requestId })));
      });
    });
  }

  async listening(): Promise<this> {
    await new Promise<void>((resolve) => this.server.once('listening', () => resolve()));
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/local-provider/control`;
  }

  push(event: ControlEvent): void {
    this.socket?.send(JSON.stringify(event));
  }

  dropConnection(): void {
    this.socket?.terminate();
  }

  close(): Promise<void> {
    this.server.clients.forEach((client) => client.terminate());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const observed = (type: string): ControlEvent => ({
  type: 'observed',
  callId: 'CA1',
  sessionId: 'sess-1',
  direction: 'provider-to-client',
  message: { type },
  at: 1,
});

function waitUntil(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() >= deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('controlUrlFor', () => {
  it('derives the control URL from the service URL', () => {
    expect(controlUrlFor('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/local-provider/control');
    expect(controlUrlFor('https://voice.example.com/')).toBe('wss://voice.example.com/local-provider/control');
  });
});

describe('LocalProviderControlClient.connect', () => {
  it('fails naming the URL and the HTTP status when the upgrade is refused', async () => {
    const peer = await new ControlPeer({ refuseUpgradeWith: 404 }).listening();
    try {
      await expect(LocalProviderControlClient.connect(peer.url)).rejects.toThrow(
        `control channel ${peer.url}: Unexpected server response: 404`,
      );
    } finally {
      await peer.close();
    }
  });

  it('fails naming the URL and the socket error when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `ws://127.0.0.1:${port}/local-provider/control`;

    await expect(LocalProviderControlClient.connect(url)).rejects.toThrow(new RegExp(`^control channel ${url}: connect ECONNREFUSED`));
  });

  it('gives up when the handshake is not answered in time', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/local-provider/control`;
    try {
      const startedAt = Date.now();
      await expect(LocalProviderControlClient.connect(url, { handshakeTimeoutMs: 200 })).rejects.toThrow(
        `control channel ${url}: Opening handshake has timed out`,
      );
      expect(Date.now() - startedAt).toBeLessThan(2_000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('LocalProviderControlClient', () => {
  let peer: ControlPeer;
  let control: LocalProviderControlClient;

  beforeEach(async () => {
    peer = await new ControlPeer().listening();
    control = await LocalProviderControlClient.connect(peer.url);
  });

  afterEach(async () => {
    await control.close();
    await peer.close();
  });

  it('tells event listeners what the provider pushes, in order, but not the answers to requests', async () => {
    const heard: ControlEvent[] = [];
    const stopListening = control.onEvent((event) => heard.push(event));
    await control.subscribe('CA1');

    peer.push(observed('reply.started'));
    peer.push({ type: 'session-dropped', callId: 'CA1', sessionId: 'sess-1', reason: 'socket lost', at: 2 });
    await waitUntil(() => heard.length === 2, 'two pushed events');
    stopListening();
    peer.push(observed('reply.done'));
    await control.waitForObserved('CA1', 'provider-to-client', 'reply.done');

    expect(heard.map((event) => event.type)).toEqual(['observed', 'session-dropped']);
    expect(heard[0]).toMatchObject({ callId: 'CA1', direction: 'provider-to-client', message: { type: 'reply.started' } });
    expect(control.observed('CA1').map((event) => event.message.type)).toEqual(['reply.started', 'reply.done']);
  });

  it('says again once the session is live when the provider refuses a say before that', async () => {
    const timeline: string[] = [];
    peer.onRequest = (request, answer) => {
      timeline.push(request.type);
      if (timeline.length > 1) {
        answer({ type: 'ack', request: request.type });
        return;
      }
      answer({ type: 'control-error', message: 'no live session for call CA1' });
      setTimeout(() => {
        timeline.push('session-opened');
        peer.push({ type: 'session-opened', callId: 'CA1', sessionId: 'sess-1', at: 1 });
      }, 100);
    };

    await control.sayWhenLive('CA1', 'hello', 2_000);

    expect(timeline).toEqual(['say', 'session-opened', 'say']);
  });

  it('passes on any other refusal of a say', async () => {
    peer.onRequest = (_request, answer) => answer({ type: 'control-error', message: 'say needs a non-empty text' });

    await expect(control.sayWhenLive('CA1', ' ', 2_000)).rejects.toThrow('say needs a non-empty text');
    expect(peer.requests).toHaveLength(1);
  });

  it('reports a channel the provider drops, but not one it closes itself', async () => {
    let disconnects = 0;
    control.onDisconnect(() => disconnects++);

    peer.dropConnection();
    await waitUntil(() => disconnects === 1, 'the disconnect');

    const second = await LocalProviderControlClient.connect(peer.url);
    let secondDisconnects = 0;
    second.onDisconnect(() => secondDisconnects++);
    await second.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(secondDisconnects).toBe(0);
    expect(disconnects).toBe(1);
  });
});

describe('control requests', () => {
  it('take further tool calls to issue in the same reply, and refuse malformed ones', () => {
    const forced = (alongside: unknown) =>
      parseControlRequest(JSON.stringify({ type: 'force-tool-call', callId: 'CA1', name: 'transfer_to_billing', alongside }));
    expect(forced([{ name: 'transfer_to_refund', arguments: { reason: 'r' } }, { name: 'lookup_order' }])).toEqual({
      ok: true,
      request: expect.objectContaining({
        name: 'transfer_to_billing',
        alongside: [{ name: 'transfer_to_refund', arguments: { reason: 'r' } }, { name: 'lookup_order' }],
      }),
    });
    for (const malformed of [{ name: 'x' }, [{ name: '' }], [{ name: 'x', arguments: [] }], ['x']]) {
      expect(forced(malformed)).toMatchObject({ ok: false, message: expect.stringContaining('alongside') });
    }
  });

  it('take a per-call reply delay (pace) of 0 to 30000 whole milliseconds', () => {
    const pace = (body: Record<string, unknown>) => parseControlRequest(JSON.stringify({ type: 'pace', requestId: 'r1', ...body }));
    expect(pace({ callId: 'CA1', replyDelayMs: 800 })).toEqual({
      ok: true,
      request: { type: 'pace', callId: 'CA1', replyDelayMs: 800, requestId: 'r1' },
    });
    expect(pace({ callId: 'CA1', replyDelayMs: 0 })).toMatchObject({ ok: true, request: { replyDelayMs: 0 } });
    expect(pace({ callId: 'CA1', replyDelayMs: 30_000 })).toMatchObject({ ok: true, request: { replyDelayMs: 30_000 } });

    expect(pace({ replyDelayMs: 800 })).toEqual({ ok: false, message: 'pace needs a callId', requestId: 'r1' });
    for (const replyDelayMs of [-1, 12.5, 30_001, '800', null, undefined]) {
      expect(pace({ callId: 'CA1', replyDelayMs })).toEqual({
        ok: false,
        message: 'pace needs replyDelayMs: an integer from 0 to 30000',
        requestId: 'r1',
      });
    }
  });
});

describe('control requests: ignore-requests-for-people', () => {
  it('take a call and whether its agent misses requests for a person, and refuse anything but a boolean', () => {
    const ignore = (body: Record<string, unknown>) =>
      parseControlRequest(JSON.stringify({ type: 'ignore-requests-for-people', requestId: 'r1', ...body }));
    expect(ignore({ callId: 'CA1', ignore: true })).toEqual({
      ok: true,
      request: { type: 'ignore-requests-for-people', callId: 'CA1', ignore: true, requestId: 'r1' },
    });
    expect(ignore({ callId: 'CA1', ignore: false })).toMatchObject({ ok: true, request: { ignore: false } });

    expect(ignore({ ignore: true })).toEqual({ ok: false, message: 'ignore-requests-for-people needs a callId', requestId: 'r1' });
    for (const value of ['true', 1, 0, null, undefined, {}]) {
      expect(ignore({ callId: 'CA1', ignore: value })).toEqual({
        ok: false,
        message: 'ignore-requests-for-people needs ignore: true or false',
        requestId: 'r1',
      });
    }
  });
});

describe('LocalProviderControlClient.pace', () => {
  it('sends the call and the delay, and passes on a refusal', async () => {
    const peer = await new ControlPeer().listening();
    const control = await LocalProviderControlClient.connect(peer.url);
    try {
      await control.pace('CA1', 800);
      expect(peer.requests).toEqual([{ type: 'pace', callId: 'CA1', replyDelayMs: 800, requestId: expect.any(String) }]);

      peer.onRequest = (_request, answer) =>
        answer({ type: 'control-error', message: 'pace needs replyDelayMs: an integer from 0 to 30000' });
      await expect(control.pace('CA1', -1)).rejects.toThrow('pace needs replyDelayMs');
    } finally {
      await control.close();
      await peer.close();
    }
  });
});

describe('LocalProviderControlClient.ignoreRequestsForPeople', () => {
  it('sends the call and ignore (true unless told otherwise), and passes on a refusal', async () => {
    const peer = await new ControlPeer().listening();
    const control = await LocalProviderControlClient.connect(peer.url);
    try {
      await control.ignoreRequestsForPeople('CA1');
      await control.ignoreRequestsForPeople('CA1', false);
      expect(peer.requests).toEqual([
        { type: 'ignore-requests-for-people', callId: 'CA1', ignore: true, requestId: expect.any(String) },
        { type: 'ignore-requests-for-people', callId: 'CA1', ignore: false, requestId: expect.any(String) },
      ]);

      peer.onRequest = (_request, answer) => answer({ type: 'control-error', message: 'ignore-requests-for-people needs a callId' });
      await expect(control.ignoreRequestsForPeople('')).rejects.toThrow('ignore-requests-for-people needs a callId');
    } finally {
      await control.close();
      await peer.close();
    }
  });
});
