import { ReactNode } from 'react';
import { badgeClass, formatLatency, formatOffset, formatTime, humanise, latencyTone, Tone } from './format';
import { JsonBlock } from './JsonBlock';
import type { NoteRef, Stint, SupervisorRef, TimelineItem } from './timeline';

interface Props {
  stints: Stint[];
  /** The call's start: each item shows its time from it. */
  startedAt: string;
  /** A tool without a result is still waiting, rather than never answered. */
  live: boolean;
}

/** The conversation, a band per department stint. */
/** How a warm transfer's dial ended, for people. */
const TRANSFER_RESULTS: Record<string, string> = {
  answered: 'the person answered and took the call',
  'no-answer': 'nobody answered; the caller comes back to the agent',
  busy: 'the line was busy; the caller comes back to the agent',
  failed: 'the call could not be placed; the caller comes back to the agent',
  canceled: 'the caller hung up while it rang',
  timeout: 'no result came from Twilio',
};

/** What each call guard did, for people. */
const GUARD_NOTES: Record<string, string> = {
  'silence-prompt': 'The caller was silent: the agent asked whether they are still there.',
  'silence-end': 'The caller stayed silent: the call was ended politely.',
  'max-duration': 'The call reached its time limit: the call was ended politely.',
};

export function Timeline({ stints, startedAt, live }: Props) {
  return (
    <div className="timeline">
      {stints.map((stint, index) => {
        const titleId = `stint-${index}`;
        const next = stints[index + 1];
        return (
          <section
            key={`${stint.department}-${stint.startedAt}-${index}`}
            className="stint"
            aria-labelledby={titleId}
            data-department={stint.department}
          >
            <header className="stint-header">
              <h3 id={titleId}>{stint.department}</h3>
              <span className="muted text-small">
                {stint.handedFrom ? `handed over from ${stint.handedFrom}, ` : ''}
                {formatOffset(stint.startedAt, startedAt)}
                {next ? ` to ${formatOffset(next.startedAt, startedAt)}` : ''}
              </span>
            </header>
            {stint.items.length === 0 ? (
              <p className="muted text-small stint-empty">Nothing recorded here yet.</p>
            ) : (
              <ol className="timeline-items">
                {stint.items.map((item) => (
                  <TimelineEntry key={item.seq} item={item} startedAt={startedAt} stintDepartment={stint.department} live={live} />
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}

function TimelineEntry({
  item,
  startedAt,
  stintDepartment,
  live,
}: {
  item: TimelineItem;
  startedAt: string;
  stintDepartment: string;
  live: boolean;
}) {
  return (
    <li className={`tl-item tl-${item.kind}`} data-kind={item.kind}>
      <time className="tl-time tabular" dateTime={item.at} title={formatTime(item.at)}>
        {formatOffset(item.at, startedAt)}
      </time>
      <div className="tl-body">
        <EntryBody item={item} stintDepartment={stintDepartment} live={live} />
        {item.truncatedFrom !== undefined && (
          <p className="muted text-small">Cut to fit the record ({item.truncatedFrom.toLocaleString()} characters before).</p>
        )}
      </div>
    </li>
  );
}

function EntryBody({ item, stintDepartment, live }: { item: TimelineItem; stintDepartment: string; live: boolean }) {
  switch (item.kind) {
    case 'started':
      return (
        <p className="tl-note">
          Call started with <strong>{item.department}</strong>
          {item.returningCaller && (
            <>
              {' '}
              <span className="badge">Returning caller</span>
            </>
          )}
        </p>
      );
    case 'caller':
      return (
        <p className="tl-said">
          <span className="speaker speaker-caller">Caller</span> {item.text || <span className="muted">(nothing heard)</span>}
        </p>
      );
    case 'agent':
      return (
        <>
          <p className="tl-said">
            <span className="speaker speaker-agent">Agent</span>
            {item.department && item.department !== stintDepartment && <span className="muted text-small"> ({item.department})</span>}{' '}
            {item.text || <span className="muted">(nothing heard)</span>}
            {item.interrupted && (
              <>
                {' '}
                <span className="badge warn">Cut off{item.heardMs !== null ? ` after ${formatLatency(item.heardMs)}` : ''}</span>
              </>
            )}
          </p>
          {item.generatedText && item.generatedText !== item.text && (
            <details className="tl-details">
              <summary>What the agent had generated</summary>
              <p>{item.generatedText}</p>
            </details>
          )}
        </>
      );
    case 'tool':
      return <ToolEntry item={item} live={live} />;
    case 'interruption':
      return <p className="tl-note muted">The caller interrupted the agent.</p>;
    case 'handoff':
      return <HandoffEntry item={item} />;
    case 'escalation':
      return (
        <Highlight
          tone={item.transferred ? 'warn' : 'bad'}
          title={item.transferred ? `Transferred to a person (${item.target})` : `Escalation to a person (${item.target}): not transferred`}
        >
          <Facts
            facts={[
              ['Cause', item.cause ? humanise(item.cause) : null],
              ['Reason', item.reason],
              ['Summary', item.summary],
              ['Detail', item.detail],
            ]}
          />
        </Highlight>
      );
    case 'provider-error':
      return (
        <Highlight tone="bad" title={`Voice agent error: ${item.code || 'unknown'}`}>
          <p>{item.message}</p>
        </Highlight>
      );
    case 'reconnected':
      return <p className="tl-note muted">The voice agent reconnected ({item.fresh ? 'a fresh session' : 'resumed the same session'}).</p>;
    case 'dtmf':
      return (
        <p className="tl-note">
          The caller pressed <kbd>{item.digit}</kbd>
        </p>
      );
    case 'escalation-rule':
      return (
        <Highlight tone="warn" title={`Escalation rule: ${humanise(item.trigger)}`}>
          <Facts
            facts={[
              ['Heard', item.detail],
              ['Action', item.action === 'human-transfer' ? 'Transfer to a person now' : 'Hand to the escalation department'],
              ['In', item.department],
            ]}
          />
        </Highlight>
      );
    case 'transfer-dialing':
      return (
        <Highlight tone="warn" title="Dialling a person (warm transfer)">
          <Facts
            facts={[
              ['Reason', item.reason],
              ['Summary', item.summary],
            ]}
          />
        </Highlight>
      );
    case 'transfer-result':
      return (
        <p className="tl-note">
          <strong>Warm transfer</strong>: {TRANSFER_RESULTS[item.status] ?? humanise(item.status)}
        </p>
      );
    case 'rejoined':
      return <p className="tl-note">The caller is back with the agent on a new Media Stream ({item.streamSid}).</p>;
    case 'guard':
      return <p className="tl-note">{GUARD_NOTES[item.guard] ?? `Call guard: ${humanise(item.guard)}`}</p>;
    case 'twilio-status':
      return <p className="tl-note muted">Twilio status: {item.status}</p>;
    case 'ended':
      return (
        <p className="tl-note">
          <strong>Call ended</strong>: {humanise(item.reason)}, outcome <strong>{item.outcome}</strong>
        </p>
      );
    case 'reclaimed':
      return <p className="tl-note muted">Taken back by instance {item.instanceId} after another closed it as orphaned.</p>;
    case 'supervision-listen':
      return (
        <p className="tl-note" title={item.listenerId ? `Listener ${item.listenerId}` : undefined}>
          <Supervisor by={item.by} /> {item.state === 'started' ? 'started listening' : 'stopped listening'}
        </p>
      );
    case 'whisper':
      return (
        <Highlight
          tone="supervision"
          title={
            <>
              <Supervisor by={item.by} /> whispered to the agent
            </>
          }
        >
          <p className="tl-whisper-text">{item.text || <span className="muted">(no text)</span>}</p>
        </Highlight>
      );
    case 'whisper-withdrawn':
      return (
        <p className="tl-note">
          <Supervisor by={item.by} /> withdrew the note <NoteWords note={item.note} />
        </p>
      );
    case 'notes-applied':
      return (
        <p className="tl-note">
          {item.notes.length === 0 ? (
            <>The agent&apos;s instructions no longer carry supervisor notes (all withdrawn)</>
          ) : (
            <>
              Supervisor {item.notes.length === 1 ? 'note' : 'notes'} reached the agent
              {item.department ? ` (${item.department})` : ''}:{' '}
              {item.notes.map((note, index) => (
                <span key={note.noteId}>
                  {index > 0 ? '; ' : ''}
                  <NoteWords note={note} />
                </span>
              ))}
            </>
          )}
        </p>
      );
    case 'takeover':
      return (
        <Highlight
          tone="supervision"
          title={
            <>
              <Supervisor by={item.by} /> took the call over: {item.to === 'human' ? 'to a person' : `to ${item.to}`}
            </>
          }
        >
          <p className="muted text-small">The {item.to === 'human' ? 'escalation' : 'handoff'} that follows says how it went.</p>
        </Highlight>
      );
    case 'supervisor-end':
      return (
        <Highlight
          tone="supervision"
          title={
            <>
              <Supervisor by={item.by} /> ended the call {item.mode === 'now' ? 'at once' : 'politely (the agent says goodbye)'}
            </>
          }
        />
      );
    case 'other':
      return (
        <details className="tl-details">
          <summary>{item.type}</summary>
          <JsonBlock value={item.fields} label={`${item.type} fields`} />
        </details>
      );
  }
}

function ToolEntry({ item, live }: { item: Extract<TimelineItem, { kind: 'tool' }>; live: boolean }) {
  const [label, tone]: [string, Tone] = item.dropped
    ? [`Result dropped (${item.dropped})`, 'warn']
    : item.result
      ? [item.result.ok ? 'ok' : 'error', item.result.ok ? 'good' : 'bad']
      : item.answeredBy
        ? [`Answered by the ${item.answeredBy}`, 'neutral']
        : [live ? 'Waiting for the result' : 'No result', live ? 'neutral' : 'warn'];
  return (
    <details className="tl-details tl-tool">
      <summary>
        <span className="speaker">Tool</span> <code>{item.name}</code> <span className={badgeClass(tone)}>{label}</span>
        {item.result?.durationMs != null && <span className="muted text-small"> {formatLatency(item.result.durationMs)}</span>}
      </summary>
      <div className="tl-tool-body">
        <div>
          <h4>Arguments</h4>
          {item.arguments === undefined ? (
            <p className="muted text-small">Not recorded.</p>
          ) : (
            <JsonBlock value={item.arguments} label={`${item.name} arguments`} />
          )}
        </div>
        <div>
          <h4>Result</h4>
          {item.result ? (
            <JsonBlock value={item.result.value} label={`${item.name} result`} />
          ) : (
            <p className="muted text-small">
              {item.dropped
                ? `Never given to the agent: ${item.dropped}.`
                : item.answeredBy
                  ? `A transfer has no result of its own: see the ${item.answeredBy} that follows.`
                  : 'No result was recorded.'}
            </p>
          )}
        </div>
      </div>
    </details>
  );
}

function HandoffEntry({ item }: { item: Extract<TimelineItem, { kind: 'handoff' }> }) {
  const tone: Tone = item.status === 'applied' ? 'good' : item.status === 'cancelled' ? 'warn' : 'bad';
  return (
    <Highlight
      tone="handoff"
      title={
        <>
          Handoff {item.from} <span aria-hidden="true">→</span>
          <span className="visually-hidden"> to </span> {item.to} <span className={badgeClass(tone)}>{item.status}</span>
          {item.code && <span className="muted text-small"> {humanise(item.code)}</span>}
          {item.latencyMs != null && (
            <>
              {' '}
              <span
                className={badgeClass(latencyTone(item.latencyMs))}
                title="From the transfer call to the new department's session update"
              >
                latency {formatLatency(item.latencyMs)}
              </span>
            </>
          )}
        </>
      }
    >
      <Facts
        facts={[
          ['Reason', item.reason],
          ['Summary', item.summary],
          [
            'Latency',
            item.latencyMs === undefined ? 'Not in the handoff log' : item.latencyMs === null ? 'None (no session update was sent)' : null,
          ],
        ]}
      />
    </Highlight>
  );
}

function Supervisor({ by }: { by: SupervisorRef }) {
  return (
    <>
      <span className="speaker speaker-supervisor">Supervisor</span> <strong>{by.name}</strong>
      {by.role && <span className="muted"> ({by.role})</span>}
    </>
  );
}

function NoteWords({ note }: { note: NoteRef }) {
  return note.text !== null ? <q>{note.text}</q> : <span className="muted">{note.noteId}</span>;
}

function Highlight({ tone, title, children }: { tone: Tone | 'handoff' | 'supervision'; title: ReactNode; children?: ReactNode }) {
  return (
    <div className={`tl-highlight tl-highlight-${tone}`}>
      <p className="tl-highlight-title">{title}</p>
      {children}
    </div>
  );
}

function Facts({ facts }: { facts: [string, string | null][] }) {
  const shown = facts.filter((fact): fact is [string, string] => Boolean(fact[1]));
  if (shown.length === 0) return null;
  return (
    <dl className="facts">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
