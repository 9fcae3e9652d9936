import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { IncomingMessage } from 'node:http';

export type UpgradeVerdict = { allowed: true } | { allowed: false; status: number; message: string; headers?: Record<string, string> };
export type UpgradeGuard = (request: IncomingMessage) => UpgradeVerdict | Promise<UpgradeVerdict>;

type VerifyClientDone = (result: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;

/**
 * Nest's ws adapter plus per-path upgrade guards: a refused upgrade gets a plain HTTP error
 * status (e.g. 403, 429) and never becomes a WebSocket.
 */
export class GuardedWsAdapter extends WsAdapter {
  private readonly guardLogger = new Logger(GuardedWsAdapter.name);

  constructor(
    app: INestApplicationContext,
    private readonly guards: Record<string, UpgradeGuard>,
  ) {
    super(app);
  }

  /** Gateways here read raw frames themselves; Nest would otherwise JSON-parse every frame. */
  override bindMessageHandlers(client: unknown, handlers: unknown[], transform: (data: unknown) => never): void {
    if (handlers.length === 0) return;
    super.bindMessageHandlers(client, handlers as never, transform);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}) {
    const guard = options.path ? this.guards[options.path] : undefined;
    if (!guard) return super.create(port, options);
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
}
