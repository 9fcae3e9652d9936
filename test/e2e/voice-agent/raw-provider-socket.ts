import WebSocket from 'ws';

export type WireEvent = Record<string, unknown> & { type: string };

interface WaitOptions {
  since?: number;
  where?: (event: WireEvent) => boolean;
  timeoutMs?: number;
}

// A bare client socket to a local provider (either wire), for the protocol rules the real clients
// never break: records every server event in order and lets a test wait for one, event-driven.
export class RawProviderSocket {
  readonly events: WireEvent[] = [];
  closeCode: number | undefined;
  private readonly checks = new Set<() => void>();

  private constructor(
    readonly ws: WebSocket,
    private readonly defaultTimeoutMs: number,
  ) {
    ws.on('message', (data: WebSocket.RawData) => {
      this.events.push(JSON.parse(data.toString()) as WireEvent);
      this.notify();
    });
    ws.on('close', (code: number) => {
      this.closeCode = code;
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string, headers: Record<string, string> = {}, { timeoutMs = 5_000 } = {}): Promise<RawProviderSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      ws.once('open', () => resolve(new RawProviderSocket(ws, timeoutMs)));
      ws.once('error', reject);
    });
  }

  /** The HTTP status of a refused upgrade, and the body the server gave with it. */
  static refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('the upgrade was accepted'));
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      ws.once('error', () => undefined);
    });
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  mark(): number {
    return this.events.length;
  }

  since(mark: number): WireEvent[] {
    return this.events.slice(mark);
  }

  /** Event types since the mark, audio deltas folded into one entry per run. */
  typesSince(mark: number): string[] {
    const types: string[] = [];
    for (const event of this.since(mark)) {
      if (event.type === 'response.output_audio.delta' && types[types.length - 1] === event.type) continue;
      types.push(event.type);
    }
    return types;
  }

  next(type: string, options: WaitOptions = {}): Promise<WireEvent> {
    const find = () => this.events.slice(options.since ?? 0).find((event) => event.type === type && (options.where?.(event) ?? true));
    return this.wait(find, `event ${type}`, options.timeoutMs);
  }

  audioDeltas(itemId: string, since = 0): number {
    return this.since(since).filter((event) => event.type === 'response.output_audio.delta' && event.item_id === itemId).length;
  }

  until(condition: () => boolean, what: string, timeoutMs = this.defaultTimeoutMs): Promise<true> {
    return this.wait(() => (condition() ? true : undefined), what, timeoutMs);
  }

  closedCode(timeoutMs = 3_000): Promise<number> {
    return this.wait(() => this.closeCode, 'close', timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }

  private wait<T>(probe: () => T | undefined, what: string, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    const found = probe();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.typesSince(0).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
    });
  }

  private notify(): void {
    for (const check of [...this.checks]) check();
  }
}
