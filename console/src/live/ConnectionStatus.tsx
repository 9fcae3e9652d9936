import { formatTime } from '../calls/format';
import type { LiveConnection } from './useLiveCalls';

interface Props {
  connection: LiveConnection;
  receivedAt: number | undefined;
  now: number;
  onReconnect(): void;
}

const LABELS: Record<LiveConnection['state'], { text: string; tone: string }> = {
  connecting: { text: 'Connecting…', tone: 'badge' },
  open: { text: 'Connected: updates are pushed live', tone: 'badge good' },
  reconnecting: { text: 'Reconnecting', tone: 'badge warn' },
};

/**
 * Where the live list stands: connected (and as of when), connecting, or reconnecting after a
 * drop. Only the state itself is announced; the countdown beside it would be noise.
 */
export function ConnectionStatus({ connection, receivedAt, now, onReconnect }: Props) {
  const label = LABELS[connection.state];
  const seconds = connection.state === 'reconnecting' ? Math.ceil((connection.retryAt - now) / 1000) : 0;
  return (
    <div className="live-connection" data-testid="live-connection" data-state={connection.state}>
      <span role="status">
        <span className={label.tone}>
          {connection.state === 'open' && <span className="live-dot" aria-hidden="true" />}
          {label.text}
        </span>
        {connection.state === 'reconnecting' && <span className="live-problem">: {connection.problem}.</span>}
      </span>
      {connection.state === 'reconnecting' && (
        <>
          <span className="muted">
            {seconds > 0 ? `Trying again in ${seconds} s` : 'Trying now…'}
            {connection.attempt > 1 ? ` (attempt ${connection.attempt + 1})` : ''}
            {receivedAt !== undefined ? `; the list below is as of ${formatTime(new Date(receivedAt).toISOString())}` : ''}
          </span>
          <button type="button" className="secondary" onClick={onReconnect} disabled={seconds <= 0}>
            Reconnect now
          </button>
        </>
      )}
    </div>
  );
}
