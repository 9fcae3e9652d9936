import { ClientRequest, get, IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
  receivedAt: number;
}

/**
 * A text/event-stream read the way the console reads it (fetch streaming, a bearer header; not
 * EventSource): events parsed as they arrive, comments counted, waits with a deadline.
 */
export class EventStreamClient {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  readonly ended: Promise<void>;
  private buffer = '';
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    this.ended = new Promise((resolve) => {
      response.on('close', () => resolve());
      response.on('error', () => resolve());
    });
  }

  /** Connects and resolves once the response head has arrived (whatever its status). */
  static open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: { Accept: 'text/event-stream', ...headers } });
      request.on('response', (response) => resolve(new EventStreamClient(request, response)));
      request.on('error', reject);
    });
  }

  get status(): number | undefined {
    return this.response.statusCode;
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers;
  }

  /** The whole body of a response that is not a stream (an error), once it has ended. */
  async body(): Promise<string> {
    await this.ended;
    return this.buffer;
  }

  /** The first event from index `since` on that matches; rejects after timeoutMs. */
  waitFor(predicate: (event: ServerSentEvent) => boolean, timeoutMs = 5_000, since = 0): Promise<ServerSentEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(since).find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`No matching event within ${timeoutMs} ms; got ${this.events.length} events`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  close(): void {
    this.request.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    if (!this.response.headers['content-type']?.startsWith('text/event-stream')) return;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      this.parse(block);
    }
    for (const listener of [...this.listeners]) listener();
  }

  private parse(block: string): void {
    const data: string[] = [];
    let event = 'message';
    let id: string | undefined;
    for (const line of block.split('\n')) {
      if (line === '') continue;
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n'), id, receivedAt: Date.now() });
  }
}
