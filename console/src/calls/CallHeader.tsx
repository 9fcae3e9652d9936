import { ReactNode } from 'react';
import { DepartmentsPath } from './DepartmentsPath';
import { badgeClass, formatDateTime, formatDuration, humanise, outcomeTone, secondsBetween, statusTone } from './format';
import type { CallDetailView, CallRecordStatus } from './types';

const STATUS_LABELS: Record<CallRecordStatus, string> = {
  live: 'Live',
  ended: 'Ended, summary pending',
  summarised: 'Summarised',
};

/** Who, when, how long and how it ended. Numbers come masked from the service and are shown as they are. */
export function CallHeader({ call, now }: { call: CallDetailView; now: number }) {
  const duration = call.durationSeconds ?? (call.status === 'live' ? secondsBetween(call.startedAt, now) : null);
  const departments = call.departments.length > 0 ? call.departments : call.finalDepartment ? [call.finalDepartment] : [];
  return (
    <dl className="card call-facts" data-testid="call-header">
      <Fact term="Status">
        <span className={badgeClass(statusTone(call.status))} data-testid="call-status">
          {call.status === 'live' && <span className="live-dot" aria-hidden="true" />}
          {STATUS_LABELS[call.status]}
        </span>
      </Fact>
      <Fact term="From">
        <span className="mono">{call.fromMasked}</span>
      </Fact>
      <Fact term="To">
        <span className="mono">{call.toMasked}</span>
      </Fact>
      <Fact term="Started">{formatDateTime(call.startedAt)}</Fact>
      <Fact term="Duration">
        <span className="tabular">{duration === null ? '—' : formatDuration(duration)}</span>
        {call.status === 'live' && <span className="muted text-small"> so far</span>}
      </Fact>
      <Fact term="Outcome">
        {call.outcome ? (
          <span className={badgeClass(outcomeTone(call.outcome))}>{call.outcome}</span>
        ) : (
          <span className="muted">Not yet</span>
        )}
      </Fact>
      <Fact term="End reason">{call.endReason ? humanise(call.endReason) : <span className="muted">Not yet</span>}</Fact>
      <Fact term="Departments">
        <DepartmentsPath departments={departments} />
      </Fact>
    </dl>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
