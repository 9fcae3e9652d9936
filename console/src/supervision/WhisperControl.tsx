import { FormEvent, KeyboardEvent, useId, useState } from 'react';
import { formatTime } from '../calls/format';
import type { CallEventView } from '../calls/types';
import { ActionError } from './ActionError';
import { canSendWhisper, characterCount, noteAppliedAt, WHISPER_MAX, whisperProblem } from './notes';
import { isCallEnded } from './supervisionApi';
import type { SupervisorNoteView } from './types';
import { supervisorLabel } from './types';

interface Props {
  notes: SupervisorNoteView[];
  /** The call's events: whether each note has reached the agent. */
  events: CallEventView[];
  send(text: string): Promise<void>;
  withdraw(noteId: string): Promise<void>;
  onCallEnded(): void;
}

/** Guidance for the agent: a note box, and the notes in force with a Withdraw each. */
export function WhisperControl({ notes, events, send, withdraw, onCallEnded }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const problem = whisperProblem(text);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || !canSendWhisper(text)) return;
    setBusy(true);
    setError(undefined);
    try {
      await send(text.trim());
      setText('');
    } catch (failure) {
      if (isCallEnded(failure)) onCallEnded();
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <section className="supervision-part" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Whisper to the agent</h3>
      <p className="muted text-small" id={`${id}-help`}>
        The agent gets the note at its next reply boundary, in its instructions; the caller does not hear it. It stays in force, across
        handoffs, until withdrawn.
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <label htmlFor={`${id}-text`}>Note to the agent</label>
        <textarea
          id={`${id}-text`}
          className="whisper-text"
          rows={3}
          value={text}
          placeholder="e.g. Offer the 10% goodwill credit"
          aria-describedby={`${id}-help ${id}-count`}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="supervision-row whisper-foot">
          <span id={`${id}-count`} className={`text-small tabular ${problem ? 'field-error' : 'muted'}`} aria-live="polite">
            {problem ?? `${characterCount(text.trim())} / ${WHISPER_MAX}`}
          </span>
          <span className="muted text-small">Ctrl+Enter sends</span>
          <button type="submit" disabled={busy || !canSendWhisper(text)}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </div>
        <ActionError error={error} />
      </form>
      <h4 id={`${id}-notes`}>Notes in force</h4>
      {notes.length === 0 ? (
        <p className="muted text-small" data-testid="supervision-notes-empty">
          None.
        </p>
      ) : (
        <ul className="plain-list supervision-notes" aria-labelledby={`${id}-notes`} data-testid="supervision-notes">
          {notes.map((note) => (
            <NoteRow
              key={note.noteId}
              note={note}
              appliedAt={noteAppliedAt(events, note.noteId)}
              withdraw={withdraw}
              onCallEnded={onCallEnded}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function NoteRow({
  note,
  appliedAt,
  withdraw,
  onCallEnded,
}: {
  note: SupervisorNoteView;
  appliedAt: string | null;
  withdraw(noteId: string): Promise<void>;
  onCallEnded(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const onWithdraw = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await withdraw(note.noteId);
    } catch (failure) {
      if (isCallEnded(failure)) onCallEnded();
      else setError(failure);
      setBusy(false);
    }
  };
  return (
    <li className="supervision-note" data-note-id={note.noteId}>
      <div className="supervision-note-body">
        <p className="supervision-note-text">{note.text}</p>
        <p className="muted text-small">
          {supervisorLabel(note.by)}, {formatTime(note.at)}{' '}
          {appliedAt ? (
            <span className="badge good">With the agent since {formatTime(appliedAt)}</span>
          ) : (
            <span className="badge">Waiting for the next reply boundary</span>
          )}
        </p>
        <ActionError error={error} />
      </div>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => void onWithdraw()}
        aria-label={`Withdraw the note: ${note.text}`}
      >
        {busy ? 'Withdrawing…' : 'Withdraw'}
      </button>
    </li>
  );
}
