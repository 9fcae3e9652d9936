import { Link } from 'react-router';
import { badgeClass, formatDuration, formatLatency, latencyTone, secondsBetween, truncateWords } from '../calls/format';
import { CallSid } from '../calls/CallSid';
import type { LiveCallView } from './types';

/** Enough for a sentence or two on one laptop-wide row; the whole text is on the call's page. */
const LAST_SAID_CHARS = 140;

interface Props {
  calls: LiveCallView[];
  /** The server's clock now, in ms: durations tick from it. */
  serverNow: number;
  stale: boolean;
}

export function LiveCallsTable({ calls, serverNow, stale }: Props) {
  return (
    <table className={`live-table${stale ? ' live-stale' : ''}`} aria-labelledby="live-title">
      <thead>
        <tr>
          <th scope="col">Call</th>
          <th scope="col">Department</th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th scope="col">Last said</th>
          <th scope="col">Pending</th>
          <th scope="col" className="numeric">
            Turns
          </th>
          <th scope="col">Last turn latency</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <LiveCallRow key={call.callSid} call={call} serverNow={serverNow} />
        ))}
      </tbody>
    </table>
  );
}

function LiveCallRow({ call, serverNow }: { call: LiveCallView; serverNow: number }) {
  return (
    <tr data-call-sid={call.callSid}>
      <td>
        <Link to={`/calls/${encodeURIComponent(call.callSid)}`} className="live-call-link">
          <span className="mono">{call.fromMasked || 'Unknown caller'}</span>
        </Link>
        <div className="muted text-small">
          <CallSid callSid={call.callSid} />
          {call.instanceId && <span title="The service instance the call is on"> on {call.instanceId}</span>}
        </div>
      </td>
      <td data-testid="live-department">
        {call.department ? <span className="badge">{call.department}</span> : <span className="muted">—</span>}
      </td>
      <td className="numeric tabular">{formatDuration(secondsBetween(call.startedAt, serverNow))}</td>
      <td className="live-last-said" data-testid="live-last-said">
        {call.lastSaid ? (
          <>
            <span className={`speaker speaker-${call.lastSaid.speaker}`}>{call.lastSaid.speaker === 'caller' ? 'Caller' : 'Agent'}</span>{' '}
            <q title={call.lastSaid.text.length > LAST_SAID_CHARS ? call.lastSaid.text : undefined}>
              {truncateWords(call.lastSaid.text, LAST_SAID_CHARS)}
            </q>
          </>
        ) : (
          <span className="muted">Nothing yet</span>
        )}
      </td>
      <td>
        <Pending pending={call.pending} />
      </td>
      <td className="numeric tabular">{call.turns}</td>
      <td data-testid="live-latency">
        {call.lastResponseLatencyMs === null ? (
          <span className="muted">—</span>
        ) : (
          <span className={badgeClass(latencyTone(call.lastResponseLatencyMs))}>{formatLatency(call.lastResponseLatencyMs)}</span>
        )}
      </td>
    </tr>
  );
}

function Pending({ pending }: { pending: LiveCallView['pending'] }) {
  if (pending.tools.length === 0 && !pending.handoffTo) return <span className="muted">—</span>;
  return (
    <ul className="badge-list">
      {pending.tools.map((tool, index) => (
        <li key={`${tool}-${index}`}>
          <span className="badge warn">Tool: {tool}</span>
        </li>
      ))}
      {pending.handoffTo && (
        <li>
          <span className="badge">{pending.handoffTo === 'human' ? 'Transfer to a person' : `Handoff → ${pending.handoffTo}`}</span>
        </li>
      )}
    </ul>
  );
}
