import { Link } from 'react-router';
import { CallSid } from './CallSid';
import { DepartmentsPath } from './DepartmentsPath';
import { badgeClass, formatDateTime, formatDuration, humanise, outcomeTone } from './format';
import type { CallView } from './types';

interface Props {
  calls: CallView[];
  /** The list's own query string, so the call page can lead back to this view. */
  listSearch: string;
  busy: boolean;
}

export function CallsTable({ calls, listSearch, busy }: Props) {
  return (
    <table className={`calls-table${busy ? ' calls-busy' : ''}`} aria-busy={busy} aria-labelledby="calls-title">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Call</th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th scope="col">Departments</th>
          <th scope="col">Outcome</th>
          <th scope="col">End reason</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={call.callSid} data-call-sid={call.callSid}>
            <td className="nowrap">{formatDateTime(call.startedAt)}</td>
            <td>
              <Link to={`/calls/${encodeURIComponent(call.callSid)}`} state={{ listSearch }}>
                <span className="mono">{call.fromMasked}</span>
              </Link>
              <div className="text-small muted">
                <CallSid callSid={call.callSid} short={false} />
              </div>
            </td>
            <td className="numeric tabular">{call.durationSeconds === null ? '—' : formatDuration(call.durationSeconds)}</td>
            <td>
              <DepartmentsPath
                departments={call.departments.length > 0 ? call.departments : call.finalDepartment ? [call.finalDepartment] : []}
              />
            </td>
            <td>
              {call.outcome ? (
                <span className={badgeClass(outcomeTone(call.outcome))}>{call.outcome}</span>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td>{call.endReason ? humanise(call.endReason) : <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
