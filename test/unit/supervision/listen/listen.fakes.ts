import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { CallEndReason } from '../../../../src/call-journal/call-event.types';
import { AppConfig } from '../../../../src/config/app-config';
import { validateEnvironment } from '../../../../src/config/environment';
import { RedisConnectionFactory } from '../../../../src/redis/redis-connection.factory';
import {
  CallAudioTap,
  SupervisedCall,
  Supervisor,
  SupervisorEndMode,
  SupervisorEndResult,
  SupervisorNote,
  TakeoverResult,
} from '../../../../src/sessions/call-supervision.ports';
import { SupervisionCommandBus } from '../../../../src/supervision/supervision-command.bus';
import { SupervisionCommand, SupervisionOutcome } from '../../../../src/supervision/supervision-command.types';

export const CALL_SID = `CA${'0123456789abcdef'.repeat(2)}`;
export const OTHER_CALL_SID = `CA${'fedcba9876543210'.repeat(2)}`;
export const ANN: Supervisor = { role: 'supervisor', name: 'Ann' };
export const BOB: Supervisor = { role: 'admin', name: 'Bob' };

export function testConfig(): AppConfig {
  return new AppConfig(validateEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_KEY_PREFIX: 'unit' }));
}

export const listenChannelOf = (callSid: string) => `unit:supervision:listen:${callSid}`;

/** A live call as the listen side sees it: the tap it was given and the listening events it recorded. */
export class FakeSupervisedCall implements SupervisedCall {
  readonly department = 'triage';
  readonly supervisorNotes: readonly SupervisorNote[] = [];
  readonly finished: Promise<CallEndReason>;
  readonly listened: { name: string; listenerId: string; state: 'started' | 'stopped' }[] = [];
  ended = false;
  tap: CallAudioTap | undefined;
  tapsAttached = 0;
  private finish!: (reason: CallEndReason) => void;

  constructor(readonly callSid: string = CALL_SID) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  setAudioTap(tap: CallAudioTap | undefined): void {
    if (tap) this.tapsAttached++;
    this.tap = tap;
  }

  listening(by: Supervisor, listenerId: string, state: 'started' | 'stopped'): void {
    this.listened.push({ name: by.name, listenerId, state });
  }

  end(reason: CallEndReason): void {
    this.ended = true;
    this.finish(reason);
  }

  whisper(): SupervisorNote {
    throw new Error('not used by the listen side');
  }

  withdrawWhisper(): boolean {
    throw new Error('not used by the listen side');
  }

  takeOver(): Promise<TakeoverResult> {
    throw new Error('not used by the listen side');
  }

  endBySupervisor(_mode: SupervisorEndMode): SupervisorEndResult {
    throw new Error('not used by the listen side');
  }
}

/** Redis as the listen side uses it: the shared client's publish, and a subscriber connection. */
export class FakeRedis {
  readonly published: { channel: string; message: Buffer | string }[] = [];
  publishFailure?: Error;
  readonly subscriber = new FakeSubscriber();

  readonly client = {
    status: 'ready',
    publish: (channel: string, message: Buffer | string): Promise<number> => {
      if (this.publishFailure) return Promise.reject(this.publishFailure);
      this.published.push({ channel, message });
      return Promise.resolve(1);
    },
  };

  create(): FakeSubscriber {
    return this.subscriber;
  }

  /** The channels the hub asks to be subscribed to again after a reconnect (the factory does the resubscribing). */
  resubscribeChannels: () => string[] = () => [];

  createSubscriber(_name: string, channels: () => string[]): FakeSubscriber {
    this.resubscribeChannels = channels;
    return this.subscriber;
  }

  asFactory(): RedisConnectionFactory {
    return this as unknown as RedisConnectionFactory;
  }
}

export class FakeSubscriber extends EventEmitter {
  readonly subscribed = new Set<string>();
  readonly subscribeCalls: string[][] = [];
  disconnected = false;

  subscribe(...channels: string[]): Promise<number> {
    this.subscribeCalls.push(channels);
    channels.forEach((channel) => this.subscribed.add(channel));
    return Promise.resolve(this.subscribed.size);
  }

  unsubscribe(...channels: string[]): Promise<number> {
    channels.forEach((channel) => this.subscribed.delete(channel));
    return Promise.resolve(this.subscribed.size);
  }

  disconnect(): void {
    this.disconnected = true;
  }

  deliver(channel: string, message: Buffer | string): void {
    this.emit('messageBuffer', Buffer.from(channel), Buffer.isBuffer(message) ? message : Buffer.from(message));
  }
}

/** A listener's server-side socket: what was sent, how it was closed. Answers pings unless it stops reading. */
export class FakeListenerSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  reading = true;
  pings = 0;
  readonly sent: (string | Buffer)[] = [];
  closed?: { code: number; reason: string };

  ping(): void {
    this.pings++;
    if (this.reading) queueMicrotask(() => this.emit('pong'));
  }

  send(data: string | Buffer): void {
    this.sent.push(data);
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.readyState = WebSocket.CLOSED;
    this.emit('close', code, Buffer.from(reason));
  }

  /** The supervisor closed the socket. */
  peerCloses(): void {
    this.close(1000, '');
  }

  json(): Record<string, unknown>[] {
    return this.sent.filter((data): data is string => typeof data === 'string').map((data) => JSON.parse(data) as Record<string, unknown>);
  }

  audio(): Buffer[] {
    return this.sent.filter((data): data is Buffer => Buffer.isBuffer(data));
  }

  asWebSocket(): WebSocket {
    return this as unknown as WebSocket;
  }
}

/** The command bus: every command kept; answers ok unless told otherwise. */
export class FakeCommandBus {
  readonly commands: { callSid: string; command: SupervisionCommand }[] = [];
  answer: (command: SupervisionCommand) => SupervisionOutcome | Promise<SupervisionOutcome> = () => ({ ok: true, value: {} });

  send(callSid: string, command: SupervisionCommand): Promise<SupervisionOutcome> {
    this.commands.push({ callSid, command });
    return Promise.resolve().then(() => this.answer(command));
  }

  kinds(): string[] {
    return this.commands.map(({ command }) => command.kind);
  }

  asBus(): SupervisionCommandBus {
    return this as unknown as SupervisionCommandBus;
  }
}
