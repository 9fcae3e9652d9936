import { INestApplicationContext } from '@nestjs/common';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { GuardedWsAdapter } from '../../../src/common/guarded-ws.adapter';
import { UpgradeGuards } from '../../../src/common/upgrade-guards';

type Outcome = { opened: true; path: string; protocol: string } | { opened: false; status?: number; error?: string };

/** A real HTTP server with the adapter's upgrade routing, as Nest sets it up for gateways on the app's port. */
describe('GuardedWsAdapter', () => {
  let server: Server;
  let baseUrl: string;
  const connected: string[] = [];

  const gateway = (adapter: GuardedWsAdapter, path: string) => {
    const wsServer = adapter.create(0, { path }) as WebSocketServer;
    wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      connected.push(request.url ?? '');
      socket.close(1000);
    });
    return wsServer;
  };

  const attempt = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Outcome>((resolve) => {
      const socket = new WebSocket(`${baseUrl}${path}`, { headers });
      socket.on('open', () => resolve({ opened: true, path, protocol: socket.protocol }));
      socket.on('unexpected-response', (_request, response) => {
        resolve({ opened: false, status: response.statusCode });
        socket.terminate();
      });
      socket.on('error', (error) => resolve({ opened: false, error: error.message }));
    });

  beforeEach(async () => {
    connected.length = 0;
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const guards: UpgradeGuards = {
      '/twilio/media-stream': () => ({ allowed: true }),
      '/calls/:callSid/listen': (request) =>
        request.headers.authorization === 'Bearer good'
          ? { allowed: true }
          : { allowed: false, status: 401, message: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer' } },
    };
    const adapter = new GuardedWsAdapter(server as unknown as INestApplicationContext, guards);
    gateway(adapter, '/twilio/media-stream');
    gateway(adapter, '/calls/:callSid/listen');
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('routes an exact path to its gateway', async () => {
    await expect(attempt('/twilio/media-stream')).resolves.toMatchObject({ opened: true });
    expect(connected).toEqual(['/twilio/media-stream']);
  });

  it('routes a path matching a pattern to its gateway, query included, once its guard allows it', async () => {
    await expect(attempt('/calls/CA1/listen?supervisor=Ann', { Authorization: 'Bearer good' })).resolves.toMatchObject({ opened: true });
    expect(connected).toEqual(['/calls/CA1/listen?supervisor=Ann']);
  });

  it('answers a refused upgrade with the guard status, never as a WebSocket', async () => {
    await expect(attempt('/calls/CA1/listen', { Authorization: 'Bearer bad' })).resolves.toEqual({ opened: false, status: 401 });
    expect(connected).toEqual([]);
  });

  it('drops an upgrade to a path no gateway serves', async () => {
    for (const path of ['/nowhere', '/calls/CA1', '/calls//listen', '/twilio/media-stream/x']) {
      await expect(attempt(path)).resolves.toMatchObject({ opened: false, error: expect.any(String) });
    }
    expect(connected).toEqual([]);
  });

  it('refuses to create a gateway whose path has no guard', () => {
    const adapter = new GuardedWsAdapter(server as unknown as INestApplicationContext, {});
    expect(() => adapter.create(0, { path: '/unguarded' })).toThrow('No upgrade guard for the WebSocket path /unguarded');
  });
});
