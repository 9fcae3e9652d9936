import { MessageEvent, OnModuleDestroy } from '@nestjs/common';
import {
  catchError,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  interval,
  map,
  merge,
  Observable,
  of,
  ReplaySubject,
  share,
  takeUntil,
  timer,
} from 'rxjs';
import { describeError, FieldLogger } from '../common/field-logger';
import { LiveCall } from './live-calls.rules';

export const LIVE_CALLS_EVENT = 'live-calls';

export interface LiveCallsUpdate {
  calls: LiveCall[];
  /** When this list was read. */
  at: string;
}

export interface LiveCallsFeedTiming {
  pollIntervalMs: number;
  keepAliveMs: number;
}

export const LIVE_CALLS_FEED_TIMING: LiveCallsFeedTiming = { pollIntervalMs: 500, keepAliveMs: 15_000 };

type Reading =
  | {
      update: LiveCallsUpdate;
      /** The list as JSON: two readings with the same one look the same to a supervisor. */
      fingerprint: string;
    }
  /** The read failed: whatever comes next is sent, even the list as it was before. */
  | { update: null; fingerprint: null };

const UNREADABLE: Reading = { update: null, fingerprint: null };

/**
 * The live calls pushed to supervisors: one poller per process, shared by every client and running
 * only while at least one listens. A client gets the latest list when it joins, then each change.
 * Shutdown completes every client's stream, so no open stream holds the HTTP server's close.
 */
export class LiveCallsFeed implements OnModuleDestroy {
  private readonly closing = new ReplaySubject<void>(1);
  private readonly readings: Observable<Reading>;
  private unreadable = false;

  constructor(
    private readonly readLiveCalls: () => Promise<LiveCall[]>,
    private readonly logger: FieldLogger,
    private readonly timing: LiveCallsFeedTiming = LIVE_CALLS_FEED_TIMING,
  ) {
    this.readings = timer(0, timing.pollIntervalMs).pipe(
      // A slow read is not overlapped by the next one: ticks that come during it are skipped.
      exhaustMap(() => this.read()),
      // A client joining a running poller gets the latest reading at once; the last one leaving stops the poller.
      share({ connector: () => new ReplaySubject<Reading>(1), resetOnRefCountZero: true }),
    );
  }

  /**
   * One client's events: the live calls at once (as soon as they can be read), then on every change
   * and after every outage, and a keep-alive comment. Completes when the application shuts down.
   */
  events(): Observable<MessageEvent> {
    const changes = this.readings.pipe(
      distinctUntilChanged((previous, next) => previous.fingerprint === next.fingerprint),
      map(({ update }) => update),
      filter((update) => update !== null),
      map((update): MessageEvent => ({ type: LIVE_CALLS_EVENT, data: update })),
    );
    const keepAlive = interval(this.timing.keepAliveMs).pipe(map((): MessageEvent => ({ comment: 'keep-alive' })));
    return merge(changes, keepAlive).pipe(takeUntil(this.closing));
  }

  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }

  private read(): Observable<Reading> {
    return defer(() => this.readLiveCalls()).pipe(
      map((calls) => {
        if (this.unreadable) this.logger.log('Live calls readable again');
        this.unreadable = false;
        return { update: { calls, at: new Date().toISOString() }, fingerprint: JSON.stringify(calls) };
      }),
      catchError((error: unknown) => {
        // Once per outage: the poll goes on every interval, and clients keep their stream until it answers.
        if (!this.unreadable)
          this.logger.warn('Live calls cannot be read; streams stay open until they can', { error: describeError(error) });
        this.unreadable = true;
        return of(UNREADABLE);
      }),
    );
  }
}
