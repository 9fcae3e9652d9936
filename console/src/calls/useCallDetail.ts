import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../auth/AuthContext';
import type { CallDetailView } from './types';

/** A live call's page follows it this often. */
export const LIVE_REFRESH_MS = 2000;
/** After it ends, its summary is usually written within seconds: checked this often, for a while. */
const SUMMARY_CHECK_MS = 3000;
const SUMMARY_CHECKS = 40;

export type CallDetailState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | {
      status: 'ready';
      call: CallDetailView;
      /** The last refresh failed (the call shown is the one before); refreshing goes on. */
      refreshError: unknown;
      /** Still checking for changes (live, or waiting for the summary). */
      following: boolean;
    };

/**
 * GET /calls/:id, then again every 2 s while the call is live and for a while after it ends,
 * until its summary is written. A refresh never blanks the page: the last answer stays.
 */
export function useCallDetail(callSid: string): CallDetailState & { reload(): void } {
  const api = useApi();
  const [state, setState] = useState<CallDetailState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((value) => value + 1), []);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: CallDetailView | undefined;
    let summaryChecks = 0;

    const nextDelay = (call: CallDetailView | undefined): number | undefined => {
      if (!call) return undefined;
      if (call.status === 'live') return LIVE_REFRESH_MS;
      if (call.summary === null && summaryChecks < SUMMARY_CHECKS) {
        summaryChecks += 1;
        return SUMMARY_CHECK_MS;
      }
      return undefined;
    };
    const load = async () => {
      try {
        const call = await api.get<CallDetailView>(`/calls/${encodeURIComponent(callSid)}`);
        if (cancelled) return;
        last = call;
        const delay = nextDelay(call);
        setState({ status: 'ready', call, refreshError: undefined, following: delay !== undefined });
        if (delay !== undefined) timer = setTimeout(load, delay);
      } catch (error) {
        if (cancelled) return;
        if (!last) {
          setState({ status: 'error', error });
          return;
        }
        const delay = nextDelay(last);
        const shown = last;
        setState({ status: 'ready', call: shown, refreshError: error, following: delay !== undefined });
        if (delay !== undefined) timer = setTimeout(load, delay);
      }
    };

    // Checking again keeps the call on screen; another call starts from a blank page.
    setState((current) => (current.status === 'ready' && current.call.callSid === callSid ? current : { status: 'loading' }));
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, callSid, attempt]);

  return { ...state, reload };
}
