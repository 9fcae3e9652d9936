import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { CallHeader } from '../calls/CallHeader';
import { CallSid } from '../calls/CallSid';
import { SummaryCard } from '../calls/SummaryCard';
import { Timeline } from '../calls/Timeline';
import { timelineOf } from '../calls/timeline';
import { TurnLatencies } from '../calls/TurnLatencies';
import type { CallDetailView } from '../calls/types';
import { LIVE_REFRESH_MS, useCallDetail } from '../calls/useCallDetail';
import { useNow } from '../calls/useNow';
import { Empty, ErrorState, Loading } from '../components/States';
import { SupervisionPanel } from '../supervision/SupervisionPanel';
import '../calls/calls.css';

export function CallPage() {
  const { callSid = '' } = useParams();
  const location = useLocation();
  const listSearch = (location.state as { listSearch?: unknown } | null)?.listSearch;
  const backTo = typeof listSearch === 'string' && listSearch !== '' ? `/calls?${listSearch}` : '/calls';
  const detail = useCallDetail(callSid);

  return (
    <article className="call-page" aria-labelledby="call-title">
      <p className="call-back">
        <Link to={backTo}>
          <span aria-hidden="true">←</span> All calls
        </Link>
      </p>
      {detail.status === 'loading' ? (
        <>
          <h1 id="call-title">Call</h1>
          <Loading what="the call" />
        </>
      ) : detail.status === 'error' ? (
        <>
          <h1 id="call-title">Call</h1>
          {detail.error instanceof ApiError && detail.error.status === 404 ? (
            <Empty>
              No call with SID <CallSid callSid={callSid} short={false} /> was found. It may have been mistyped, or its record has expired.
            </Empty>
          ) : (
            <ErrorState error={detail.error} retry={detail.reload} />
          )}
        </>
      ) : (
        <CallDetail call={detail.call} following={detail.following} refreshError={detail.refreshError} reload={detail.reload} />
      )}
    </article>
  );
}

interface DetailProps {
  call: CallDetailView;
  following: boolean;
  refreshError: unknown;
  /** Loads the call again now ("Check again", and after a supervision action). */
  reload(): void;
}

function CallDetail({ call, following, refreshError, reload }: DetailProps) {
  const now = useNow(1000, call.status === 'live');
  // Seen live on this page: the supervision panel stays, to say the call has ended.
  const [supervisable, setSupervisable] = useState(call.status === 'live');
  if (call.status === 'live' && !supervisable) setSupervisable(true);
  const stints = useMemo(() => timelineOf(call.events, call.handoffs, call.startedAt), [call.events, call.handoffs, call.startedAt]);
  const measured = call.turns.filter((turn) => turn.responseLatencyMs !== null || turn.answerLatencyMs !== null);

  return (
    <>
      <header className="call-title">
        <h1 id="call-title">
          Call from <span className="mono">{call.fromMasked}</span>
        </h1>
        <p className="muted">
          <CallSid callSid={call.callSid} short={false} />
        </p>
      </header>
      <div role="status" className="call-following">
        {call.status === 'live' && (
          <span className="badge good">
            <span className="live-dot" aria-hidden="true" />
            Live: refreshing every {LIVE_REFRESH_MS / 1000} s
          </span>
        )}
        {refreshError !== undefined && (
          <span className="badge warn">
            Could not refresh ({refreshError instanceof Error ? refreshError.message : String(refreshError)});{' '}
            {following ? 'still trying' : 'showing the last answer'}
          </span>
        )}
      </div>
      <CallHeader call={call} now={now} />
      {supervisable && <SupervisionPanel call={call} reload={reload} />}

      <nav className="call-sections" aria-label="On this page">
        {supervisable && <a href="#supervision-title">Supervision</a>}
        <a href="#summary-title">Summary</a>
        <a href="#latency-title">Turn latencies</a>
        <a href="#conversation-title">Conversation</a>
      </nav>

      <section aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        {call.summary ? (
          <SummaryCard summary={call.summary} />
        ) : (
          <div className="state summary-pending" data-testid="summary-pending">
            <p>
              <strong>Summary pending.</strong>{' '}
              {call.status === 'live'
                ? 'It is written once the call ends.'
                : following
                  ? 'The call has ended; the summary is being written and will appear here.'
                  : 'The call has ended but its summary is not written yet.'}
            </p>
            {call.status === 'ended' && !following && (
              <button type="button" className="secondary" onClick={reload}>
                Check again
              </button>
            )}
          </div>
        )}
      </section>

      <section aria-labelledby="latency-title">
        <h2 id="latency-title">Turn latencies</h2>
        {measured.length === 0 ? (
          <Empty>
            {call.status === 'live'
              ? 'No caller turn has been measured yet: a turn is recorded once the caller speaks again.'
              : 'No caller turns were measured.'}
          </Empty>
        ) : (
          <TurnLatencies turns={call.turns} />
        )}
      </section>

      <section aria-labelledby="conversation-title">
        <h2 id="conversation-title">Conversation</h2>
        {stints.length === 0 ? (
          <Empty>Nothing has been recorded for this call yet.</Empty>
        ) : (
          <Timeline stints={stints} startedAt={call.startedAt} live={call.status === 'live'} />
        )}
      </section>
    </>
  );
}
