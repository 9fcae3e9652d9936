import { useNow } from '../calls/useNow';
import { Empty, Loading } from '../components/States';
import { ConnectionStatus } from '../live/ConnectionStatus';
import { LiveCallsTable } from '../live/LiveCallsTable';
import { useLiveCalls } from '../live/useLiveCalls';
import '../calls/calls.css';
import '../live/live.css';

export function LiveCallsPage() {
  const { connection, snapshot, receivedAt, clockOffsetMs, reconnectNow } = useLiveCalls();
  const now = useNow(1000);
  const count = snapshot?.calls.length;

  return (
    <section aria-labelledby="live-title">
      <div className="live-heading">
        <h1 id="live-title">
          Live calls{' '}
          {count !== undefined && (
            <span className="badge live-count" aria-live="polite" aria-atomic="true" data-testid="live-count">
              {count} live
            </span>
          )}
        </h1>
        <ConnectionStatus connection={connection} receivedAt={receivedAt} now={now} onReconnect={reconnectNow} />
      </div>
      <p className="muted live-intro">
        Every call on a line right now, on every instance. Rows change as calls move; a call leaves the list when it ends. Open a call to
        follow its conversation.
      </p>
      {snapshot === undefined ? (
        connection.state === 'reconnecting' ? (
          <p className="state error">The live calls could not be loaded yet: {connection.problem}. The page keeps trying.</p>
        ) : (
          <Loading what="live calls" />
        )
      ) : snapshot.calls.length === 0 ? (
        <Empty>
          <strong>No calls are live right now.</strong> New calls appear here as soon as they connect.
        </Empty>
      ) : (
        <LiveCallsTable calls={snapshot.calls} serverNow={now + clockOffsetMs} stale={connection.state === 'reconnecting'} />
      )}
    </section>
  );
}
