import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, useAuth } from '../auth/AuthContext';
import { ServerSentEventParser } from './sse';
import { LiveCallsSnapshot, liveCallsSnapshotOf } from './types';

const STREAM_PATH = '/calls/live/events';
/** The server comments every 15 s; two missed in a row and the connection is taken for dead. */
const SILENCE_LIMIT_MS = 40_000;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 30_000;

export type LiveConnection =
  { state: 'connecting' } | { state: 'open' } | { state: 'reconnecting'; retryAt: number; attempt: number; problem: string };

export interface LiveCalls {
  connection: LiveConnection;
  /** The last snapshot the server pushed; undefined until the first one. */
  snapshot: LiveCallsSnapshot | undefined;
  /** When it arrived, by this browser's clock. */
  receivedAt: number | undefined;
  /** Add to Date.now() to get the server's clock (durations tick from the server's startedAt). */
  clockOffsetMs: number;
  /** Skips the wait before the next attempt. */
  reconnectNow(): void;
}

/**
 * Every live call, pushed by the server as server-sent events over fetch (so the bearer token
 * travels in a header, never in the URL). The stream is read until it ends, fails or goes silent;
 * then it is opened again after a growing, jittered wait.
 */
export function useLiveCalls(): LiveCalls {
  const api = useApi();
  const { signOut } = useAuth();
  const [connection, setConnection] = useState<LiveConnection>({ state: 'connecting' });
  const [latest, setLatest] = useState<{ snapshot: LiveCallsSnapshot; receivedAt: number } | undefined>();
  const wake = useRef<() => void>(() => undefined);

  useEffect(() => {
    const stopped = new AbortController();

    const readOnce = async (): Promise<{ problem: string; delivered: boolean } | 'unauthorised'> => {
      const attempt = new AbortController();
      const stop = () => attempt.abort();
      stopped.signal.addEventListener('abort', stop);
      let silent = false;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const listen = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          silent = true;
          attempt.abort();
        }, SILENCE_LIMIT_MS);
      };
      let delivered = false;
      try {
        listen();
        const response = await api.stream(STREAM_PATH, attempt.signal);
        if (response.status === 401) return 'unauthorised';
        if (!response.ok || !response.body) {
          await response.body?.cancel().catch(() => undefined);
          return { problem: `the service answered ${response.status}`, delivered };
        }
        setConnection({ state: 'open' });
        const reader = response.body.getReader();
        const parser = new ServerSentEventParser();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { problem: 'the service closed the stream', delivered };
          listen();
          for (const event of parser.push(value)) {
            if (event.event !== 'live-calls') continue;
            const snapshot = liveCallsSnapshotOf(event.data);
            if (!snapshot) continue;
            delivered = true;
            setLatest({ snapshot, receivedAt: Date.now() });
          }
        }
      } catch (error) {
        if (silent) return { problem: 'the stream went silent', delivered };
        // fetch rejects with a TypeError ("Failed to fetch") when the service cannot be reached at all.
        return {
          problem: error instanceof TypeError ? 'could not reach the service' : `the connection failed (${String(error)})`,
          delivered,
        };
      } finally {
        clearTimeout(watchdog);
        stopped.signal.removeEventListener('abort', stop);
        attempt.abort();
      }
    };

    const run = async () => {
      let failures = 0;
      while (!stopped.signal.aborted) {
        const outcome = await readOnce();
        if (stopped.signal.aborted) return;
        if (outcome === 'unauthorised') {
          signOut();
          return;
        }
        // A stream that delivered before dropping starts the backoff again from the shortest wait.
        failures = outcome.delivered ? 1 : failures + 1;
        const delay = retryDelay(failures);
        setConnection({ state: 'reconnecting', retryAt: Date.now() + delay, attempt: failures, problem: outcome.problem });
        // The state stays "reconnecting" through the next attempt: the page says "trying now" once retryAt has passed.
        await pause(delay, stopped.signal, wake);
      }
    };
    void run();
    return () => stopped.abort();
  }, [api, signOut]);

  const reconnectNow = useCallback(() => wake.current(), []);
  const clockOffsetMs = latest ? clockOffset(latest.snapshot.at, latest.receivedAt) : 0;
  return { connection, snapshot: latest?.snapshot, receivedAt: latest?.receivedAt, clockOffsetMs, reconnectNow };
}

/** 1 s, 2 s, 4 s ... up to 30 s, each within ±20 % so many consoles do not reconnect in step. */
export function retryDelay(failures: number): number {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function clockOffset(serverAt: string, receivedAt: number): number {
  const server = Date.parse(serverAt);
  return Number.isFinite(server) ? server - receivedAt : 0;
}

function pause(ms: number, signal: AbortSignal, wake: { current: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake.current = () => undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    wake.current = done;
  });
}
