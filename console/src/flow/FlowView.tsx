import { ReactNode, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../auth/AuthContext';
import { Empty, ErrorState, Loading } from '../components/States';
import { useResource } from '../components/useResource';
import { formatCount, formatDateTime, formatDuration, formatMoney, formatMs, formatShare } from './format';
import { HandoffFlow } from './HandoffFlow';
import { RangePicker } from './RangePicker';
import { CallsOverTimeChart, HandleTimeChart } from './StatsCharts';
import { CallStats, EscalationTriggerCount, TurnLatency } from './stats.types';
import { parseRange, RangeChoice, rangeQuery, resolveRange } from './timeRange';
import './flow.css';

/** /flow: how calls moved between departments, and how they went, over a chosen time range. */
export default function FlowView() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const parsed = parseRange(params);
  const search = params.toString();
  const [refreshes, setRefreshes] = useState(0);
  // A preset ends "now": now is when the range was chosen or refreshed, not every render.
  const now = useMemo(() => Date.now(), [search, refreshes]);
  const range = parsed.ok ? resolveRange(parsed.choice, now) : undefined;
  const from = range?.from.toISOString();
  const to = range?.to.toISOString();
  const stats = useResource(() => (from && to ? api.get<CallStats>('/stats', { from, to }) : Promise.resolve(undefined)), [api, from, to]);

  const choose = (choice: RangeChoice) => setParams(rangeQuery(choice));
  const refresh = () => {
    setRefreshes((count) => count + 1);
    stats.reload();
  };

  return (
    <div className="flow-page">
      <h1>Flow and stats</h1>
      <RangePicker choice={parsed.ok ? parsed.choice : undefined} shown={range} onChoose={choose} />
      {range && (
        <p className="muted flow-range-shown">
          Calls started from <strong>{formatDateTime(range.from)}</strong> to <strong>{formatDateTime(range.to)}</strong>{' '}
          <button type="button" className="secondary small" onClick={refresh}>
            Refresh
          </button>
        </p>
      )}
      {!parsed.ok ? (
        <div className="state error" role="alert">
          <p>{parsed.problem}</p>
          <Link to="/flow">Show the last 24 hours</Link>
        </div>
      ) : stats.status === 'loading' ? (
        <Loading what="stats" />
      ) : stats.status === 'error' ? (
        <ErrorState error={stats.error} retry={stats.reload} />
      ) : !stats.data || stats.data.calls === 0 ? (
        <Empty>
          <strong>No calls in this range.</strong> Choose a longer range, or check back once calls have finished: a call counts once its
          post-call summary is written.
        </Empty>
      ) : (
        <StatsReport stats={stats.data} />
      )}
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="flow-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

interface KpiProps {
  title: string;
  value: ReactNode;
  testId: string;
  /** A longer value (two figures): a smaller type so it stays on one line. */
  compact?: boolean;
  children?: ReactNode;
}

function Kpi({ title, value, testId, compact, children }: KpiProps) {
  return (
    <div className="card kpi">
      <h3>{title}</h3>
      <p className={compact ? 'kpi-value compact' : 'kpi-value'} data-testid={testId}>
        {value}
      </p>
      {children && <div className="kpi-detail">{children}</div>}
    </div>
  );
}

function StatsReport({ stats }: { stats: CallStats }) {
  const { outcomes, refundsIssued, turnLatency } = stats;
  return (
    <>
      <Section id="overview-heading" title="Overview">
        <div className="kpi-grid">
          <Kpi title="Calls" value={formatCount(stats.calls)} testId="kpi-calls">
            <ul className="plain inline">
              <li>
                <span className="badge good">{formatCount(outcomes.resolved)} resolved</span>
              </li>
              <li>
                <span className="badge warn">{formatCount(outcomes.escalated)} escalated</span>
              </li>
              <li>
                <span className="badge">{formatCount(outcomes.abandoned)} abandoned</span>
              </li>
              <li>
                <span className={outcomes.failed > 0 ? 'badge bad' : 'badge'}>{formatCount(outcomes.failed)} failed</span>
              </li>
            </ul>
          </Kpi>
          <Kpi title="Containment" value={formatShare(stats.containment)} testId="kpi-containment">
            Resolved without a person
          </Kpi>
          <Kpi title="Escalation rate" value={formatShare(stats.escalationRate)} testId="kpi-escalation">
            Handed to a person
          </Kpi>
          <Kpi title="Average handle time" value={formatDuration(stats.averageHandleTimeSeconds.overall)} testId="kpi-handle-time">
            Per call, start to end
          </Kpi>
          <Kpi title="Refunds issued" value={formatCount(refundsIssued.count)} testId="kpi-refunds">
            {refundsIssued.byCurrency.length === 0 ? (
              'No refunds'
            ) : (
              <ul className="plain">
                {refundsIssued.byCurrency.map((row) => (
                  <li key={row.currency}>
                    {formatMoney(row.totalAmount, row.currency)} <span className="muted">({formatCount(row.count)})</span>
                  </li>
                ))}
              </ul>
            )}
          </Kpi>
          <Kpi
            title="Turn latency p50 / p95"
            value={`${formatMs(turnLatency.overall.p50Ms)} / ${formatMs(turnLatency.overall.p95Ms)}`}
            testId="kpi-latency"
            compact
          >
            {formatCount(turnLatency.turns)} answered turns
          </Kpi>
          <Kpi title="Slow turns" value={<SlowTurns latency={turnLatency} />} testId="kpi-slow-turns">
            {formatCount(turnLatency.unanswered)} never answered
          </Kpi>
        </div>
      </Section>

      <Section id="handoffs-heading" title="Handoff flow">
        <HandoffFlow matrix={stats.handoffMatrix} />
      </Section>

      <Section id="triggers-heading" title="Escalations the service enforced">
        <EscalationTriggers counts={stats.escalationsByTrigger ?? []} />
      </Section>

      <Section id="over-time-heading" title="Calls over time">
        <CallsOverTimeChart series={stats.callsOverTime} />
      </Section>

      <Section id="handle-time-heading" title="Handle time per department">
        <HandleTimeChart departments={stats.averageHandleTimeSeconds.perDepartment} />
      </Section>

      <Section id="latency-heading" title="Turn latency">
        <p className="muted">
          From the caller stopping speaking to the agent&rsquo;s first audio. Over 2 s feels slow; over 3 s feels broken.
        </p>
        <LatencyTables latency={turnLatency} />
      </Section>
    </>
  );
}

const TRIGGER_NAMES: Record<string, string> = {
  'human-request': 'Asked for a person',
  frustration: 'Frustration',
  'red-flag': 'Red flag',
  'failed-tools': 'Failed tools in a row',
  'handoff-refused': 'Handoff refused (limit or ping-pong)',
  'no-progress': 'No progress',
};

/** The escalation rules that fired (whatever the model said), by trigger and what they did. */
function EscalationTriggers({ counts }: { counts: EscalationTriggerCount[] }) {
  if (counts.length === 0)
    return <Empty>No escalation rule fired in this range: every escalation, if any, was the agent&rsquo;s own.</Empty>;
  return (
    <table>
      <caption>By trigger</caption>
      <thead>
        <tr>
          <th scope="col">Trigger</th>
          <th scope="col">Action</th>
          <th scope="col" className="number">
            Times
          </th>
        </tr>
      </thead>
      <tbody>
        {counts.map((row) => (
          <tr key={`${row.trigger}-${row.action}`}>
            <th scope="row">{TRIGGER_NAMES[row.trigger] ?? row.trigger}</th>
            <td>{row.action === 'human-transfer' ? 'To a person at once' : 'Handed to escalation'}</td>
            <td className="number" data-testid={`trigger-${row.trigger}-${row.action}`}>
              {formatCount(row.count)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SlowTurns({ latency }: { latency: TurnLatency }) {
  return (
    <span className="slow-turns">
      <span className={latency.over2s > 0 ? 'badge warn' : 'badge good'}>{formatCount(latency.over2s)} over 2 s</span>
      <span className={latency.over3s > 0 ? 'badge bad' : 'badge good'}>{formatCount(latency.over3s)} over 3 s</span>
    </span>
  );
}

function LatencyTables({ latency }: { latency: TurnLatency }) {
  if (latency.turns === 0) return <Empty>No answered caller turns in this range.</Empty>;
  const groups = [
    { caption: 'By department', header: 'Department', rows: latency.byDepartment.map((row) => ({ name: row.department, ...row })) },
    { caption: 'By voice provider', header: 'Provider', rows: latency.byProvider.map((row) => ({ name: row.provider, ...row })) },
  ];
  return (
    <div className="flow-split even">
      {groups.map((group) => (
        <table key={group.caption}>
          <caption>{group.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{group.header}</th>
              <th scope="col" className="number">
                Turns
              </th>
              <th scope="col" className="number">
                p50
              </th>
              <th scope="col" className="number">
                p95
              </th>
            </tr>
          </thead>
          <tbody>
            {group.rows.map((row) => (
              <tr key={row.name}>
                <th scope="row">{row.name}</th>
                <td className="number">{formatCount(row.turns)}</td>
                <td className="number">{formatMs(row.p50Ms)}</td>
                <td className={row.p95Ms > 3000 ? 'number bad' : row.p95Ms > 2000 ? 'number warn' : 'number'}>{formatMs(row.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
