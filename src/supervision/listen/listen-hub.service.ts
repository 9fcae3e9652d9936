import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { describeError, fieldLogger } from '../../common/field-logger';
import { waitAtMost } from '../../common/wait-at-most';
import { AppConfig } from '../../config/app-config';
import { RedisConnectionFactory } from '../../redis/redis-connection.factory';
import { Supervisor } from '../../sessions/call-supervision.ports';
import { SupervisionCommandBus } from '../supervision-command.bus';
import { SupervisionCommand, SupervisionOutcome } from '../supervision-command.types';
import { callUnreachable } from '../supervision-outcomes';
import { LISTEN_FRAME_MS, LISTEN_SAMPLE_RATE, listenChannel, readListenMessage } from './listen-frame.codec';

/** A listener's lease on the call's audio, renewed well before it lapses; an instance that dies stops renewing. */
const LEASE_MS = 6000;
/** Leases are renewed, and listeners pinged, this often. */
const WATCH_EVERY_MS = 2000;
/** 2 s of the stereo PCM sent (32 000 bytes a second): a listener with more waiting in its socket is not keeping up. */
const MAX_BUFFERED_BYTES = 64_000;
const SUBSCRIBE_WAIT_MS = 3000;

export interface ListenRefusal {
  status: number;
  code: string;
  message: string;
}

interface Listener {
  readonly listenerId: string;
  readonly callSid: string;
  readonly channel: string;
  readonly by: Supervisor;
  readonly socket: WebSocket;
  state: 'starting' | 'listening' | 'done';
  /** The owner granted the lease: leaving must release it. */
  leased: boolean;
  renewing: boolean;
  renewalFailing: boolean;
  awaitingPong: boolean;
}

interface ListenedCall {
  readonly listeners: Set<Listener>;
  readonly subscribed: Promise<unknown>;
}

/**
 * The listen side where supervisors are connected: one Redis subscriber for the process, one
 * channel per call listened to here, each frame decoded once and sent to every local listener of
 * that call. Leases are asked for and renewed through the command bus, wherever the call is held.
 */
@Injectable()
export class ListenHubService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = fieldLogger(new Logger(ListenHubService.name));
  private readonly calls = new Map<string, ListenedCall>();
  private subscriber?: Redis;
  private watchTimer?: NodeJS.Timeout;
  /**
   * Shutting down: listeners are closed without releasing their leases (the bus is closing too);
   * the owner lets those lapse within LEASE_MS.
   */
  private stopping = false;

  constructor(
    private readonly bus: SupervisionCommandBus,
    private readonly redis: RedisConnectionFactory,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const subscriber = this.redis.createSubscriber('supervision-listen', () => [...this.calls.keys()]);
    this.subscriber = subscriber;
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message));
  }

  onModuleDestroy(): void {
    this.stopping = true;
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    for (const listener of this.allListeners()) {
      this.finish(listener, { release: false });
      closeSocket(listener.socket, 1001, 'server shutting down');
    }
    this.subscriber?.removeAllListeners('messageBuffer');
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  /** A listener refused before it started: one JSON error message, then close 4000 + status. */
  refuse(socket: WebSocket, refusal: ListenRefusal): void {
    sendJson(socket, { type: 'error', status: refusal.status, code: refusal.code, message: refusal.message });
    closeSocket(socket, 4000 + refusal.status, refusal.code);
  }

  /** Starts a supervisor listening on this socket; resolves once it listens or was refused. Never rejects. */
  async listen(socket: WebSocket, callSid: string, by: Supervisor): Promise<void> {
    const listener: Listener = {
      listenerId: randomUUID(),
      callSid,
      channel: listenChannel(this.config, callSid),
      by,
      socket,
      state: 'starting',
      leased: false,
      renewing: false,
      renewalFailing: false,
      awaitingPong: false,
    };
    const log = this.logger.child({ callSid, listenerId: listener.listenerId });
    socket.on('error', (error) => log.warn('Listener socket failed', { error: error.message }));
    socket.on('close', () => this.finish(listener, { release: true }));
    socket.on('pong', () => (listener.awaitingPong = false));
    if (this.stopping) {
      closeSocket(socket, 1001, 'server shutting down');
      return;
    }

    const outcome = await this.command(callSid, { kind: 'listen', listenerId: listener.listenerId, by, leaseMs: LEASE_MS });
    if (outcome.ok) listener.leased = true;
    if (listener.state === 'done') {
      // The socket closed while the lease was being asked for.
      if (outcome.ok) void this.command(callSid, { kind: 'stop-listening', listenerId: listener.listenerId, by });
      return;
    }
    if (!outcome.ok) {
      listener.state = 'done';
      this.refuse(socket, outcome);
      return;
    }

    if (this.stopping || !this.subscriber) {
      this.finish(listener, { release: false });
      closeSocket(socket, 1001, 'server shutting down');
      return;
    }
    const call = this.join(listener, this.subscriber);
    await waitAtMost(call.subscribed, SUBSCRIBE_WAIT_MS);
    if (listener.state !== 'starting') return;
    listener.state = 'listening';
    sendJson(socket, {
      type: 'listening',
      callSid,
      listenerId: listener.listenerId,
      sampleRate: LISTEN_SAMPLE_RATE,
      channels: ['caller', 'agent'],
      encoding: 'pcm_s16le',
      frameMs: LISTEN_FRAME_MS,
    });
    log.log('A supervisor is listening', { supervisor: by.name, role: by.role });
  }

  private join(listener: Listener, subscriber: Redis): ListenedCall {
    let call = this.calls.get(listener.channel);
    if (!call) {
      const subscribed = subscriber
        .subscribe(listener.channel)
        .catch((error: Error) => this.logger.warn('Subscribing to a call failed', { callSid: listener.callSid, error: error.message }));
      call = { listeners: new Set(), subscribed };
      this.calls.set(listener.channel, call);
    }
    call.listeners.add(listener);
    if (!this.watchTimer) {
      this.watchTimer = setInterval(() => this.watchListeners(), WATCH_EVERY_MS);
      this.watchTimer.unref();
    }
    return call;
  }

  /** The listener stops receiving; `release` tells the call's owner, which records it stopped listening. */
  private finish(listener: Listener, { release }: { release: boolean }): void {
    if (listener.state === 'done') return;
    if (listener.state === 'listening') {
      this.logger.log('A supervisor stopped listening', { callSid: listener.callSid, listenerId: listener.listenerId });
    }
    listener.state = 'done';
    const call = this.calls.get(listener.channel);
    if (call?.listeners.delete(listener) && call.listeners.size === 0) {
      this.calls.delete(listener.channel);
      this.subscriber?.unsubscribe(listener.channel).catch(() => undefined);
    }
    if (this.calls.size === 0) {
      clearInterval(this.watchTimer);
      this.watchTimer = undefined;
    }
    if (release && listener.leased && !this.stopping) {
      void this.command(listener.callSid, { kind: 'stop-listening', listenerId: listener.listenerId, by: listener.by });
    }
  }

  private onMessage(channel: string, message: Buffer): void {
    const call = this.calls.get(channel);
    if (!call) return;
    const decoded = readListenMessage(message);
    if (!decoded) return;
    if (decoded.kind === 'ended') {
      for (const listener of call.listeners) this.callEnded(listener, decoded.reason);
      return;
    }
    for (const listener of call.listeners) {
      if (listener.state !== 'listening' || listener.socket.readyState !== WebSocket.OPEN) continue;
      if (listener.socket.bufferedAmount > MAX_BUFFERED_BYTES) this.tooSlow(listener, 'buffered');
      else listener.socket.send(decoded.pcm, { binary: true });
    }
  }

  private callEnded(listener: Listener, reason: string | undefined): void {
    this.finish(listener, { release: false });
    sendJson(listener.socket, { type: 'ended', reason });
    closeSocket(listener.socket, 1000, 'call ended');
  }

  private tooSlow(listener: Listener, why: 'buffered' | 'unanswered-ping'): void {
    this.logger.warn('A listener is not keeping up: closed', {
      callSid: listener.callSid,
      listenerId: listener.listenerId,
      why,
      bufferedBytes: listener.socket.bufferedAmount,
    });
    this.finish(listener, { release: true });
    closeSocket(listener.socket, 4008, 'listener too slow');
  }

  /**
   * Renews every lease, and pings every listener: the ping waits behind the audio already sent, so
   * one still unanswered 2 s later means the listener has that much audio unread (in its socket
   * buffers as well as ours, which can hold minutes of it).
   */
  private watchListeners(): void {
    for (const listener of this.allListeners()) {
      if (listener.state === 'listening' && listener.socket.readyState === WebSocket.OPEN) {
        if (listener.awaitingPong) {
          this.tooSlow(listener, 'unanswered-ping');
          continue;
        }
        listener.awaitingPong = true;
        listener.socket.ping();
      }
      this.renewLease(listener);
    }
  }

  private renewLease(listener: Listener): void {
    if (listener.renewing || listener.state === 'done') return;
    listener.renewing = true;
    const { callSid, listenerId, by } = listener;
    void this.command(callSid, { kind: 'listen', listenerId, by, leaseMs: LEASE_MS }).then((outcome) => {
      listener.renewing = false;
      const failedBefore = listener.renewalFailing;
      listener.renewalFailing = !outcome.ok;
      if (outcome.ok || listener.state === 'done') return;
      // The call ended (or is no longer known): the ended message may have been missed while Redis was away.
      if (outcome.status === 404 || outcome.status === 409) this.callEnded(listener, undefined);
      else if (!failedBefore)
        this.logger.warn('Renewing a listener lease failed; trying again', { callSid, listenerId, code: outcome.code });
    });
  }

  private allListeners(): Listener[] {
    return [...this.calls.values()].flatMap((call) => [...call.listeners]);
  }

  private async command(callSid: string, command: SupervisionCommand): Promise<SupervisionOutcome> {
    try {
      return await this.bus.send(callSid, command);
    } catch (error) {
      this.logger.warn('A listen command failed', { callSid, kind: command.kind, error: describeError(error) });
      return callUnreachable(callSid);
    }
  }
}

function sendJson(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function closeSocket(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
}
