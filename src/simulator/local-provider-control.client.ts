import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';

/** A provider wire message (audio excepted) as the local provider's control channel reports it. */
export interface ProviderObservation {
  type: 'observed';
  callId: string;
  direction: 'client-to-provider' | 'provider-to-client';
  message: { type: string; [field: string]: unknown };
  at?: unknown;
}

export interface ProviderSessionLifecycle {
  type: 'session-opened' | 'session-closed' | 'session-resumed' | 'session-dropped';
  callId: string;
  sessionId?: string;
  reason?: string;
}

export interface LocalProviderControlEvents {
  observed: [ProviderObservation];
  lifecycle: [ProviderSessionLifecycle];
  'control-error': [string];
  close: [];
}

type ControlAnswer = { accepted: true } | { accepted: false; reason: string };

interface PendingRequest {
  settle: (answer: ControlAnswer) => void;
}

export const CONTROL_PATH = '/local-provider/control';
/** Silence after a request counts as acceptance, for a control channel that does not acknowledge. */
const ANSWER_WINDOW_MS = 1000;
const RETRY_DELAY_MS = 200;
const LIFECYCLE_TYPES = new Set(['session-opened', 'session-closed', 'session-resumed', 'session-dropped']);

export function controlUrlFor(serviceBaseUrl: string): string {
  const url = new URL(serviceBaseUrl);
  const protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${url.host}${CONTROL_PATH}`;
}

/**
 * The caller's voice in development: the local provider cannot hear audio, so the simulated
 * caller speaks by text here and watches the provider conversation.
 */
export class LocalProviderControlClient extends EventEmitter<LocalProviderControlEvents> {
  private readonly pending = new Map<string, PendingRequest>();
  private requestSequence = 0;

  private constructor(private readonly socket: WebSocket) {
    super();
    this.setMaxListeners(0);
    socket.on('message', (data) => this.onFrame(data.toString()));
    socket.on('close', () => {
      [...this.pending.values()].forEach((request) => request.settle({ accepted: false, reason: 'the control channel closed' }));
      this.emit('close');
    });
    socket.on('error', () => undefined);
  }

  static connect(url: string, timeoutMs = 5000): Promise<LocalProviderControlClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      const fail = (reason: string): void => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(new SimulatorException(SimulatorExceptionCode.CONTROL_FAILED, `control channel ${url}: ${reason}`));
      };
      socket.once('open', () => {
        socket.removeAllListeners();
        resolve(new LocalProviderControlClient(socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        response.resume();
        fail(`answered ${response.statusCode ?? 0}`);
      });
      socket.once('error', (error) => fail(error.message));
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Works before the call exists, so nothing from the start of the call is missed. */
  async subscribe(callId: string): Promise<void> {
    const answer = await this.request({ type: 'subscribe', callId });
    if (!answer.accepted) {
      throw new SimulatorException(SimulatorExceptionCode.CONTROL_FAILED, `the local provider refused the subscription: ${answer.reason}`);
    }
  }

  /** Speaks as the caller; retried while the provider session is not live yet (or resuming). */
  async say(callId: string, text: string, retryForMs = 5000): Promise<void> {
    const deadline = Date.now() + retryForMs;
    for (;;) {
      const answer = await this.request({ type: 'say', callId, text });
      if (answer.accepted) {
        return;
      }
      if (Date.now() >= deadline || !this.isOpen) {
        throw new SimulatorException(SimulatorExceptionCode.CONTROL_FAILED, `the local provider refused to say ${JSON.stringify(text)}: ${answer.reason}`);
      }
      await delay(RETRY_DELAY_MS);
    }
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000);
    }
  }

  private request(message: Record<string, unknown>): Promise<ControlAnswer> {
    if (!this.isOpen) {
      return Promise.resolve({ accepted: false, reason: 'the control channel is closed' });
    }
    const requestId = `sim-${++this.requestSequence}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ accepted: true }), ANSWER_WINDOW_MS);
      const settle = (answer: ControlAnswer): void => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve(answer);
      };
      this.pending.set(requestId, { settle });
      this.socket.send(JSON.stringify({ ...message, requestId }));
    });
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame)) {
      return;
    }
    if (frame.type === 'observed' && isRecord(frame.message)) {
      this.emit('observed', frame as unknown as ProviderObservation);
    } else if (typeof frame.type === 'string' && LIFECYCLE_TYPES.has(frame.type)) {
      this.emit('lifecycle', frame as unknown as ProviderSessionLifecycle);
    } else if (frame.type === 'ack') {
      this.answer(frame.requestId, { accepted: true });
    } else if (frame.type === 'control-error') {
      const reason = typeof frame.message === 'string' ? frame.message : JSON.stringify(frame);
      this.emit('control-error', reason);
      this.answer(frame.requestId, { accepted: false, reason });
    }
  }

  /** An answer without a requestId goes to the oldest open request; a late one for a settled request is dropped. */
  private answer(requestId: unknown, answer: ControlAnswer): void {
    const key = typeof requestId === 'string' ? requestId : this.pending.keys().next().value;
    if (key !== undefined) {
      this.pending.get(key)?.settle(answer);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
