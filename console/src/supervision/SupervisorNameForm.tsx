import { FormEvent, useId, useState } from 'react';
import { SUPERVISOR_NAME_MAX, supervisorNameProblem } from './supervisorName';

interface Props {
  current: string | null;
  onSave(name: string): void;
  onCancel?(): void;
}

/** Asks the supervisor's name once: it is recorded with every action and on every listen. */
export function SupervisorNameForm({ current, onSave, onCancel }: Props) {
  const id = useId();
  const [value, setValue] = useState(current ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = supervisorNameProblem(value);
    setProblem(found);
    if (!found) onSave(value);
  };
  return (
    <form className="supervisor-name-form" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-name`}>Your name</label>
      <p className="muted text-small" id={`${id}-help`}>
        Recorded with your role on every supervision action, and shown in the call&apos;s timeline and summary.
      </p>
      <div className="supervision-row">
        <input
          id={`${id}-name`}
          value={value}
          maxLength={SUPERVISOR_NAME_MAX * 2}
          autoComplete="name"
          aria-describedby={`${id}-help${problem ? ` ${id}-problem` : ''}`}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setValue(event.target.value)}
          autoFocus={current !== null}
        />
        <button type="submit">{current === null ? 'Use this name' : 'Save name'}</button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {problem && (
        <p className="field-error" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </form>
  );
}
