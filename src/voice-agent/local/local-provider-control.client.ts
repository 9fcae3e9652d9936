import WebSocket from 'ws';
import { LOCAL_PROVIDER_CONTROL_PATH } from '../../config/app-config';
import {
  ControlEvent,
  ControlRequest,
  ForcedToolCall,
  LocalProviderFault,
  ObservedDirection,
  ObservedEvent,
  SessionLifecycleEvent,
  StatsEvent,
} from './local-provider-control.messages';

type Waiter = {
  predicate: (event: ControlEvent) => boolean;
  resolve: (event: ControlEvent) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

type Pending = {
  resolve: (event: ControlEvent) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

type RequestBody<T extends ControlRequest['type']> = Omit<Extract<ControlRequest, { type: T }>, 'type' | 'requestId'>;

export interface ConnectOptions {
  requestTimeoutMs?: number;
  maxEvents?: number;
  handshakeTimeoutMs?: number;
}

export function controlUrlFor(serviceBaseUrl: string): string {
  const url = new URL(serviceBaseUrl);
  const protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${url.host}${LOCAL_PROVIDER_CONTROL_PATH}`;
}

// Drives the local provider from tests, benches and the call CLI.
export class LocalProviderControlClient {
  // Everything received, in order; mark() + waitFor(..., since) look only at what came after.
  readonly events: ControlEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(event: ControlEvent) => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private closing = false;
  private requestSequence = 0;
  // Events trimmed off the front to keep memory bounded; marks stay valid.
  private dropped = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly requestTimeoutMs: number,
    private readonly maxEvents: number,
  ) {
    ws.on('message', (data: WebSocket.RawData) => this.onMessage(data.toString()));
    ws.on('close', () => {
      this.failAll(new Error('control channel closed'));
      if (!this.closing) this.disconnectListeners.forEach((listener) => listener());
    });
    ws.on('error', () => undefined);
  }

  // Fails with the URL and the reason: the socket error, or ws's "Unexpected server response: <status>" for a refused upgrade.
  static connect(url: string, options: ConnectOptions = {}): Promise<LocalProviderControlClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: options.handshakeTimeoutMs ?? 5_000 });
      const onError = (error: Error) => reject(new Error(`control channel ${url}: ${error.message}`));
      ws.once('error', onError);
      ws.once('open', () => {
        ws.off('error', onError);
        resolve(new LocalProviderControlClient(ws, options.requestTimeoutMs ?? 5_000, options.maxEvents ?? 50_000));
      });
    });
  }

  // Every event the provider pushes (not the answers to requests), as it arrives. Returns the unsubscribe.
  onEvent(listener: (event: ControlEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  // The channel went away without close() being called (service stopped, network). Returns the unsubscribe.
  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  async subscribe(callId = '*'): Promise<void> {
    await this.request('subscribe', { callId });
  }

  async say(callId: string, text: string): Promise<void> {
    await this.request('say', { callId, text });
  }

  // say() once the call has a live session: waits for it to open or resume instead of sleeping.
  async sayWhenLive(callId: string, text: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const since = this.mark();
      try {
        await this.say(callId, text);
        return;
      } catch (error) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || !/no live session/.test((error as Error).message)) throw error;
        await this.waitFor(
          (event) => (event.type === 'session-opened' || event.type === 'session-resumed') && event.callId === callId,
          remaining,
          since,
        );
      }
    }
  }

  async forceToolCall(
    callId: string,
    name: string,
    args: Record<string, unknown> = {},
    options: { argumentsAsString?: boolean; rawArguments?: string; alongside?: ForcedToolCall[] } = {},
  ): Promise<void> {
    await this.request('force-tool-call', { callId, name, arguments: args, ...options });
  }

  async dropSocket(callId: string, options: { refuseResume?: boolean } = {}): Promise<void> {
    await this.request('drop-socket', { callId, ...options });
  }

  /** Makes the call's provider misbehave (see LocalProviderFault); may be set before the call starts. */
  async injectFault(callId: string, fault: LocalProviderFault): Promise<void> {
    await this.request('inject-fault', { callId, fault });
  }

  /** Makes every later reply of the call start replyDelayMs late (0 turns it off); may be set before the call starts. */
  async pace(callId: string, replyDelayMs: number): Promise<void> {
    await this.request('pace', { callId, replyDelayMs });
  }

  /**
   * Makes the call's agent miss a caller asking for a person (no transfer for it, an answer as if nothing was asked)
   * until called again with false; may be set before the call starts.
   */
  async ignoreRequestsForPeople(callId: string, ignore = true): Promise<void> {
    await this.request('ignore-requests-for-people', { callId, ignore });
  }

  async stats(callId: string): Promise<StatsEvent> {
    return (await this.request('stats', { callId })) as StatsEvent;
  }

  async configure(options: { toolArgumentsAsString?: boolean }): Promise<void> {
    await this.request('configure', options);
  }

  mark(): number {
    return this.dropped + this.events.length;
  }

  waitFor<T extends ControlEvent = ControlEvent>(predicate: (event: ControlEvent) => boolean, timeoutMs = 5_000, since = 0): Promise<T> {
    for (let index = Math.max(0, since - this.dropped); index < this.events.length; index++) {
      if (predicate(this.events[index])) return Promise.resolve(this.events[index] as T);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (event) => resolve(event as T),
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a control event`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  // A wire message the local provider saw for this call, e.g. waitForObserved(callId, 'provider-to-client', 'tool.call').
  async waitForObserved(
    callId: string,
    direction: ObservedDirection,
    type: string,
    options: { since?: number; timeoutMs?: number; where?: (message: Record<string, unknown>) => boolean } = {},
  ): Promise<Record<string, unknown>> {
    const event = await this.waitFor<ObservedEvent>(
      (candidate) =>
        candidate.type === 'observed' &&
        candidate.callId === callId &&
        candidate.direction === direction &&
        candidate.message.type === type &&
        (options.where?.(candidate.message) ?? true),
      options.timeoutMs,
      options.since,
    );
    return event.message;
  }

  observed(callId: string, since = 0): ObservedEvent[] {
    return this.events
      .slice(Math.max(0, since - this.dropped))
      .filter((event): event is ObservedEvent => event.type === 'observed' && event.callId === callId);
  }

  lifecycle(callId: string, since = 0): SessionLifecycleEvent[] {
    return this.events
      .slice(Math.max(0, since - this.dropped))
      .filter(
        (event): event is SessionLifecycleEvent => event.type.startsWith('session-') && 'sessionId' in event && event.callId === callId,
      );
  }

  async close(): Promise<void> {
    this.closing = true;
    this.failAll(new Error('control client closed'));
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }

  // ---------- internals ----------

  private request<T extends ControlRequest['type']>(type: T, body: RequestBody<T>): Promise<ControlEvent> {
    const requestId = `r${++this.requestSequence}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`control request ${type} timed out`));
      }, this.requestTimeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ type, ...body, requestId }), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(error);
      });
    });
  }

  private onMessage(text: string): void {
    let event: ControlEvent;
    try {
      event = JSON.parse(text) as ControlEvent;
    } catch {
      return;
    }
    const requestId = 'requestId' in event ? event.requestId : undefined;
    if (requestId && this.pending.has(requestId)) {
      const pending = this.pending.get(requestId) as Pending;
      this.pending.delete(requestId);
      clearTimeout(pending.timer);
      if (event.type === 'control-error') pending.reject(new Error(event.message));
      else pending.resolve(event);
      return;
    }
    this.events.push(event);
    if (this.events.length > this.maxEvents) {
      this.events.shift();
      this.dropped++;
    }
    for (const waiter of this.waiters) {
      if (!waiter.predicate(event)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(event);
    }
    this.eventListeners.forEach((listener) => listener(event));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}
