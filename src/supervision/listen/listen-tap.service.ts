import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { describeError, fieldLogger } from '../../common/field-logger';
import { AppConfig } from '../../config/app-config';
import { RedisConnectionFactory } from '../../redis/redis-connection.factory';
import { SupervisedCall, Supervisor } from '../../sessions/call-supervision.ports';
import { SupervisionOutcome } from '../supervision-command.types';
import { callEnded, succeeded } from '../supervision-outcomes';
import { ListenerView, ListenLeases } from '../supervision.executor';
import { CallAudioMixer } from './call-audio.mixer';
import { encodeCallEnded, LISTEN_FRAME_MS, listenChannel } from './listen-frame.codec';

interface ListenerLease {
  by: Supervisor;
  /** ISO time of the first lease. */
  since: string;
  expiresAt: number;
}

interface TappedCall {
  call: SupervisedCall;
  channel: string;
  mixer: CallAudioMixer;
  leases: Map<string, ListenerLease>;
}

/**
 * The listen side on the instance holding a call: while some listener holds a current lease, the
 * call is tapped and every 100 ms one frame of both legs goes to the call's listen channel, for
 * whichever instances the listeners are connected to. Leases are renewed by the listeners'
 * instances; one that stops renewing (its instance gone) lapses.
 */
@Injectable()
export class ListenTapService implements ListenLeases, OnModuleDestroy {
  private readonly logger = fieldLogger(new Logger(ListenTapService.name));
  private readonly tapped = new Map<string, TappedCall>();
  private timer?: NodeJS.Timeout;
  private publishingFails = false;

  constructor(
    private readonly redis: RedisConnectionFactory,
    private readonly config: AppConfig,
  ) {}

  /** Starts a listener, or renews its lease. */
  lease(call: SupervisedCall, listenerId: string, by: Supervisor, leaseMs: number): SupervisionOutcome {
    if (call.ended) return callEnded(call.callSid);
    const tapped = this.tapFor(call);
    const expiresAt = Date.now() + leaseMs;
    const known = tapped.leases.get(listenerId);
    if (known) {
      known.expiresAt = expiresAt;
      return succeeded({ callSid: call.callSid, listenerId, since: known.since });
    }
    const since = new Date().toISOString();
    tapped.leases.set(listenerId, { by, since, expiresAt });
    this.recordListening(call, by, listenerId, 'started');
    return succeeded({ callSid: call.callSid, listenerId, since });
  }

  release(call: SupervisedCall, listenerId: string, by: Supervisor): SupervisionOutcome {
    const tapped = this.tapped.get(call.callSid);
    if (!tapped?.leases.delete(listenerId)) return succeeded({ callSid: call.callSid, listenerId, stopped: false });
    this.recordListening(call, by, listenerId, 'stopped');
    if (tapped.leases.size === 0) this.untap(tapped);
    return succeeded({ callSid: call.callSid, listenerId, stopped: true });
  }

  listenersOf(callSid: string): ListenerView[] {
    const tapped = this.tapped.get(callSid);
    if (!tapped) return [];
    return [...tapped.leases].map(([listenerId, lease]) => ({ listenerId, by: lease.by, since: lease.since }));
  }

  onModuleDestroy(): void {
    for (const tapped of [...this.tapped.values()]) this.untap(tapped);
  }

  private tapFor(call: SupervisedCall): TappedCall {
    const known = this.tapped.get(call.callSid);
    if (known?.call === call) return known;
    if (known) this.untap(known);
    const tapped: TappedCall = {
      call,
      channel: listenChannel(this.config, call.callSid),
      mixer: new CallAudioMixer(Date.now()),
      leases: new Map(),
    };
    this.tapped.set(call.callSid, tapped);
    call.setAudioTap(tapped.mixer);
    call.finished.then(
      (reason) => this.onCallFinished(tapped, reason),
      () => this.onCallFinished(tapped, undefined),
    );
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), LISTEN_FRAME_MS);
      this.timer.unref();
    }
    return tapped;
  }

  private untap(tapped: TappedCall): void {
    if (this.tapped.get(tapped.call.callSid) !== tapped) return;
    this.tapped.delete(tapped.call.callSid);
    try {
      tapped.call.setAudioTap(undefined);
    } catch (error) {
      this.logger.warn('Detaching the audio tap failed', { callSid: tapped.call.callSid, error: describeError(error) });
    }
    if (this.tapped.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private onCallFinished(tapped: TappedCall, reason: string | undefined): void {
    if (this.tapped.get(tapped.call.callSid) !== tapped) return;
    for (const [listenerId, lease] of tapped.leases) this.recordListening(tapped.call, lease.by, listenerId, 'stopped');
    tapped.leases.clear();
    this.untap(tapped);
    this.publish(tapped, encodeCallEnded(reason));
  }

  private tick(): void {
    const now = Date.now();
    for (const tapped of [...this.tapped.values()]) {
      try {
        for (const [listenerId, lease] of tapped.leases) {
          if (lease.expiresAt > now) continue;
          tapped.leases.delete(listenerId);
          this.logger.log('A listener lease lapsed', { callSid: tapped.call.callSid, listenerId });
          this.recordListening(tapped.call, lease.by, listenerId, 'stopped');
        }
        if (tapped.leases.size === 0) {
          this.untap(tapped);
          continue;
        }
        for (const frame of tapped.mixer.takeDueFrames(now)) this.publish(tapped, frame);
      } catch (error) {
        this.logger.error('Listen frame failed', { callSid: tapped.call.callSid, error: describeError(error) });
      }
    }
  }

  /** Fire and forget: a listener misses what Redis could not carry, the call never waits for it. */
  private publish(tapped: TappedCall, message: Buffer | string): void {
    const client = this.redis.client;
    if (client.status !== 'ready') {
      this.publishFailed(tapped, `Redis connection is ${client.status}`);
      return;
    }
    client.publish(tapped.channel, message).then(
      () => (this.publishingFails = false),
      (error: unknown) => this.publishFailed(tapped, describeError(error)),
    );
  }

  private publishFailed(tapped: TappedCall, error: string): void {
    if (!this.publishingFails) {
      this.logger.warn('Publishing listen audio failed; listeners miss it until Redis is back', { callSid: tapped.call.callSid, error });
    }
    this.publishingFails = true;
  }

  private recordListening(call: SupervisedCall, by: Supervisor, listenerId: string, state: 'started' | 'stopped'): void {
    try {
      call.listening(by, listenerId, state);
    } catch (error) {
      this.logger.warn('Recording a listener failed', { callSid: call.callSid, listenerId, state, error: describeError(error) });
    }
  }
}
