import { ReactNode } from 'react';
import {
  badgeClass,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatOffset,
  formatTime,
  humanise,
  latencyTone,
  outcomeTone,
} from './format';
import type { CallSummary, SideEffectAction, Supervisor, SupervisionSummary, ToolCallAction } from './types';

/** The post-call summary, field by field, in words a supervisor reads. */
export function SummaryCard({ summary }: { summary: CallSummary }) {
  const { actions } = summary;
  const latency = summary.responseLatency;
  return (
    <div className="card summary-card" data-testid="call-summary">
      {summary.narrative && <p className="summary-narrative">{summary.narrative}</p>}
      <div className="summary-grid">
        <dl className="facts">
          <Fact term="Reason for call">{summary.reasonForCall ?? <span className="muted">The caller said nothing</span>}</Fact>
          <Fact term="Outcome">
            <span className={badgeClass(outcomeTone(summary.outcome))}>{summary.outcome}</span> {humanise(summary.endReason)}
          </Fact>
          <Fact term="Duration">{formatDuration(summary.durationSeconds)}</Fact>
          <Fact term="Handoffs, interruptions, tool errors">
            {summary.handoffCount}, {summary.interruptions}, {summary.toolErrors}
          </Fact>
          {latency && (
            <Fact term="Response latency">
              {latency.medianMs === null ? (
                'No answered turns'
              ) : (
                <>
                  median <span className={badgeClass(latencyTone(latency.medianMs))}>{formatLatency(latency.medianMs)}</span>, longest{' '}
                  <span className={badgeClass(latencyTone(latency.maxMs ?? 0))}>{formatLatency(latency.maxMs ?? 0)}</span>;{' '}
                  {latency.slowTurns} of {latency.turns} answered turns slow
                  {latency.unanswered > 0 ? `, ${latency.unanswered} unanswered` : ''}
                </>
              )}
            </Fact>
          )}
          {summary.orphaned && (
            <Fact term="Orphaned">
              Closed as orphaned at {formatDateTime(summary.orphaned.closedAt)}
              {summary.orphaned.reclaimedAt ? `, taken back at ${formatDateTime(summary.orphaned.reclaimedAt)}` : ''}
            </Fact>
          )}
        </dl>
        <div>
          <h3>Path</h3>
          <ol className="summary-path">
            {summary.departmentsPath.map((visit, index) => (
              <li key={`${visit.department}-${index}`}>
                <strong>{visit.department}</strong>{' '}
                <span className="muted text-small">{formatOffset(visit.enteredAt, summary.startedAt)}</span>
                {visit.handoffReason && <div className="text-small">{visit.handoffReason}</div>}
              </li>
            ))}
          </ol>
          <h3>Open items</h3>
          {summary.openItems.length === 0 ? (
            <p className="muted text-small">None</p>
          ) : (
            <ul className="summary-open-items">
              {summary.openItems.map((item, index) => (
                <li key={index}>{item}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h3>What the agents did</h3>
      <div className="summary-actions">
        <ActionList title="Lookups" actions={actions.lookups} />
        {actions.sideEffects && <ActionList title="Changes made" actions={actions.sideEffects} />}
        {actions.unknownTools && actions.unknownTools.length > 0 && <ActionList title="Unknown tools" actions={actions.unknownTools} />}
        {actions.refunds.length > 0 && (
          <Section title="Refunds">
            {actions.refunds.map((refund) => (
              <li key={refund.refundId}>
                <code>{refund.refundId}</code>: {formatMoney(refund.amount, refund.currency)} for order <code>{refund.orderId}</code>
              </li>
            ))}
          </Section>
        )}
        {actions.tickets.length > 0 && (
          <Section title="Tickets">
            {actions.tickets.map((ticket) => (
              <li key={ticket.ticketId}>
                <code>{ticket.ticketId}</code>
                {ticket.summary ? `: ${ticket.summary}` : ''}
              </li>
            ))}
          </Section>
        )}
        {actions.escalation && (
          <Section title="Escalation">
            <li>
              {actions.escalation.transferred ? 'Transferred' : 'Not transferred'} to {actions.escalation.target}:{' '}
              {actions.escalation.reason}
              <div className="text-small muted">{actions.escalation.summary}</div>
            </li>
          </Section>
        )}
      </div>
      {summary.supervision && <SupervisionSection supervision={summary.supervision} />}
      <p className="text-small muted">Written {formatDateTime(summary.writtenAt)}</p>
    </div>
  );
}

/** What supervisors did on the call: who listened, their notes to the agent, a takeover, an ending. */
function SupervisionSection({ supervision }: { supervision: SupervisionSummary }) {
  const { listeners, whispers, takeover, ended } = supervision;
  return (
    <div data-testid="summary-supervision">
      <h3>Supervision</h3>
      <div className="summary-actions">
        <Section title="Listened">
          {listeners.length === 0 ? (
            <li className="muted">Nobody</li>
          ) : (
            listeners.map((listener) => (
              <li key={listener.listenerId}>
                {who(listener.by)}, {formatTime(listener.startedAt)} to{' '}
                {listener.stoppedAt ? formatTime(listener.stoppedAt) : 'the end of the call'}
              </li>
            ))
          )}
        </Section>
        <Section title="Whispers to the agent">
          {whispers.length === 0 ? (
            <li className="muted">None</li>
          ) : (
            whispers.map((whisper) => (
              <li key={whisper.noteId}>
                <q>{whisper.text}</q>
                <div className="text-small muted">
                  {who(whisper.by)}, {formatTime(whisper.at)}
                  {whisper.withdrawnAt ? `; withdrawn ${formatTime(whisper.withdrawnAt)}` : '; in force to the end'}
                </div>
              </li>
            ))
          )}
        </Section>
        {(takeover || ended) && (
          <Section title="Stepped in">
            {takeover && (
              <li>
                {who(takeover.by)} took the call over {takeover.to === 'human' ? 'to a person' : `to ${takeover.to}`},{' '}
                {formatTime(takeover.at)}
              </li>
            )}
            {ended && (
              <li>
                {who(ended.by)} ended the call {ended.mode === 'now' ? 'at once' : 'politely'}, {formatTime(ended.at)}
              </li>
            )}
          </Section>
        )}
      </div>
    </div>
  );
}

function who(by: Supervisor): string {
  return by.role ? `${by.name} (${by.role})` : by.name;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h4>{title}</h4>
      <ul className="plain-list">{children}</ul>
    </div>
  );
}

function ActionList({ title, actions }: { title: string; actions: (ToolCallAction | SideEffectAction)[] }) {
  return (
    <Section title={title}>
      {actions.length === 0 ? (
        <li className="muted">None</li>
      ) : (
        actions.map((action, index) => (
          <li key={`${action.tool}-${index}`}>
            <code>{action.tool}</code>
            {action.subject ? ` ${action.subject}` : ''}{' '}
            <span className={badgeClass(action.result === 'ok' ? 'good' : action.result === 'error' ? 'bad' : 'warn')}>
              {action.result === 'no-result' ? 'no result' : action.result}
            </span>
            {action.error && <span className="text-small muted"> {action.error}</span>}
            {'reference' in action && action.reference && (
              <span className="text-small">
                {' '}
                → <code>{action.reference}</code>
              </span>
            )}
          </li>
        ))
      )}
    </Section>
  );
}

function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}
