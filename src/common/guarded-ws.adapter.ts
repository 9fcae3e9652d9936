import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { createServer, IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { matchUpgradePath, UpgradeGuards } from './upgrade-guards';

export type { UpgradeGuard, UpgradeVerdict } from './upgrade-guards';

type VerifyClientDone = (result: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;
/** Nest's registry entries: ws servers with the gateway's (normalised) path pattern. */
type RoutedWsServer = WebSocketServer & { path: string };

/**
 * Nest's ws adapter plus per-path upgrade guards: a refused upgrade gets a plain HTTP error
 * status (e.g. 401, 403, 429) and never becomes a WebSocket. Gateway paths may have `:param`
 * segments ('/calls/:callSid/listen'); an upgrade to a path no gateway serves is dropped.
 */
export class GuardedWsAdapter extends WsAdapter {
  private readonly guardLogger = new Logger(GuardedWsAdapter.name);

  constructor(
    app: INestApplicationContext,
    private readonly guards: UpgradeGuards,
  ) {
    super(app);
  }

  /** Gateways here read raw frames themselves; Nest would otherwise JSON-parse every frame. */
  override bindMessageHandlers(client: unknown, handlers: unknown[], transform: (data: unknown) => never): void {
    if (handlers.length === 0) return;
    super.bindMessageHandlers(client, handlers as never, transform);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}) {
    if (!options.path) return super.create(port, options);
    const guard = this.guards[options.path];
    // Fail closed: a gateway nobody guards would take any upgrade at all.
    if (!guard) throw new Error(`No upgrade guard for the WebSocket path ${options.path}`);
    return super.create(port, {
      ...options,
      verifyClient: (info: { req: IncomingMessage }, done: VerifyClientDone) => {
        Promise.resolve()
          .then(() => guard(info.req))
          .then(
            (verdict) => (verdict.allowed ? done(true) : done(false, verdict.status, verdict.message, verdict.headers)),
            (error: unknown) => {
              this.guardLogger.error(error instanceof Error ? error.stack : String(error));
              done(false, 500, 'Internal Server Error');
            },
          );
      },
    });
  }

  /** Nest's own upgrade routing (platform-ws 11.2.6), matching path patterns instead of exact paths only. */
  protected override ensureHttpServerExists(port: number, httpServer: Server = createServer()): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.routeUpgrade(port, request, socket, head));
    return httpServer;
  }

  private routeUpgrade(port: number, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      const pathname = new URL(request.url ?? '/', 'ws://localhost').pathname;
      const servers = (this.wsServersRegistry.get(port) ?? []) as RoutedWsServer[];
      const server = servers.find((candidate) => matchUpgradePath(candidate.path, pathname) !== undefined);
      if (!server) {
        socket.destroy();
        return;
      }
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
  }
}
