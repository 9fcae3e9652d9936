import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/*
 * The service's way to Redis during a fault run: a TCP proxy inside the bench process, piping
 * to the real Redis (the bench's own Redis use goes straight there). A blip drops every
 * connection and closes the listening socket, so reconnects are refused as if Redis were down,
 * then listens again on the same port.
 */

export interface BlipRecord {
  /** Bench clock (epoch ms) when the connections were dropped. */
  startedAt: number;
  /** When the proxy listened again; null if it could not. */
  endedAt: number | null;
  connectionsDropped: number;
  error?: string;
}

const RELISTEN_ATTEMPTS = 50;
const RELISTEN_RETRY_MS = 100;

export class RedisBlipProxy {
  private server?: Server;
  /** Each accepted connection and its upstream. */
  private readonly pairs = new Map<Socket, Socket>();
  private port = 0;
  private stopped = false;
  private readonly acceptedAt: number[] = [];
  private readonly targetHost: string;
  private readonly targetPort: number;

  constructor(private readonly targetUrl: string) {
    const parsed = new URL(targetUrl);
    this.targetHost = parsed.hostname;
    this.targetPort = Number(parsed.port || 6379);
  }

  /** The target URL rewritten to go through the proxy (same credentials and database). */
  get url(): string {
    const parsed = new URL(this.targetUrl);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Connections accepted so far (the service's Redis clients, and their reconnects). */
  get connectionsAccepted(): number {
    return this.acceptedAt.length;
  }

  async start(): Promise<void> {
    await this.listen(0);
  }

  /** Drops every connection, refuses new ones for `seconds`, then accepts again. */
  async blip(seconds: number, now: () => number = Date.now): Promise<BlipRecord> {
    const startedAt = now();
    const connectionsDropped = this.cut();
    await new Promise((resolveWait) => setTimeout(resolveWait, seconds * 1000));
    let endedAt: number | null = null;
    let error: string | undefined;
    for (let attempt = 1; attempt <= RELISTEN_ATTEMPTS && endedAt === null && !this.stopped; attempt++) {
      try {
        await this.listen(this.port);
        endedAt = now();
      } catch (caught) {
        error = `could not listen on 127.0.0.1:${this.port} again: ${caught instanceof Error ? caught.message : String(caught)}`;
        await new Promise((resolveWait) => setTimeout(resolveWait, RELISTEN_RETRY_MS));
      }
    }
    return { startedAt, endedAt, connectionsDropped, ...(endedAt === null && error ? { error } : {}) };
  }

  /** The first connection accepted at or after `at`, in ms after it (null: none). */
  firstConnectionAfter(at: number): number | null {
    const first = this.acceptedAt.find((time) => time >= at);
    return first === undefined ? null : first - at;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cut();
  }

  /** Closes the listener and every connection; returns how many were open. */
  private cut(): number {
    this.server?.close();
    this.server = undefined;
    const open = this.pairs.size;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    return open;
  }

  private listen(port: number): Promise<void> {
    const server = createServer({ noDelay: true }, (client) => this.pipe(client));
    return new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        resolveListen();
      });
    });
  }

  private pipe(client: Socket): void {
    if (this.acceptedAt.length < 100_000) this.acceptedAt.push(Date.now());
    const upstream = connect({ port: this.targetPort, host: this.targetHost, noDelay: true });
    this.pairs.set(client, upstream);
    const forget = (): void => {
      this.pairs.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
