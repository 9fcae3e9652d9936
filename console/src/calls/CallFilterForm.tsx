import { FormEvent, useEffect, useState } from 'react';
import { CallFilters, isoOfLocalInput, localInputOf } from './filters';
import { CALL_OUTCOMES, CallOutcome } from './types';

export interface DepartmentOption {
  key: string;
  displayName: string;
}

interface Props {
  filters: CallFilters;
  /** Departments to choose from; undefined when they could not be loaded (a text field then). */
  departments: DepartmentOption[] | undefined;
  /** Messages the service gave for fields of the last query. */
  fieldErrors: Record<string, string>;
  onApply(filters: Omit<CallFilters, 'page' | 'pageSize'>): void;
  onClear(): void;
}

type Draft = Record<'callSid' | 'from' | 'to' | 'department' | 'outcome', string>;

function draftOf(filters: CallFilters): Draft {
  return {
    callSid: filters.callSid,
    from: localInputOf(filters.from),
    to: localInputOf(filters.to),
    department: filters.department,
    outcome: filters.outcome,
  };
}

/**
 * The filters of GET /calls, applied with the button (or Enter). The fields follow the URL, so
 * back and forward show the filters of that view.
 */
export function CallFilterForm({ filters, departments, fieldErrors, onApply, onClear }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [problem, setProblem] = useState<string>();
  const applied = JSON.stringify(draftOf(filters));
  useEffect(() => {
    setDraft(JSON.parse(applied) as Draft);
    setProblem(undefined);
  }, [applied]);
  const field = (name: keyof Draft) => ({
    name,
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [name]: event.target.value })),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const from = isoOfLocalInput(draft.from);
    const to = isoOfLocalInput(draft.to);
    if (from && to && from >= to) {
      setProblem('"From" must be before "To".');
      return;
    }
    setProblem(undefined);
    onApply({ callSid: draft.callSid.trim(), from, to, department: draft.department.trim(), outcome: draft.outcome as CallOutcome | '' });
  };

  const departmentChoices =
    departments && filters.department && !departments.some((department) => department.key === filters.department)
      ? [...departments, { key: filters.department, displayName: filters.department }]
      : departments;
  const rangeError = problem ?? fieldErrors.from ?? fieldErrors.to;

  return (
    <form className="toolbar calls-filters card" role="search" aria-label="Filter calls" onSubmit={submit} noValidate>
      <div className="calls-field calls-field-sid">
        <label htmlFor="filter-call-sid">Call SID</label>
        <input
          id="filter-call-sid"
          {...field('callSid')}
          placeholder="CA…"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={fieldErrors.callSid ? true : undefined}
          aria-describedby={fieldErrors.callSid ? 'filter-call-sid-error' : undefined}
        />
        {fieldErrors.callSid && (
          <p id="filter-call-sid-error" className="field-error">
            {fieldErrors.callSid}
          </p>
        )}
      </div>
      <fieldset className="calls-range" aria-describedby={rangeError ? 'filter-range-error' : undefined}>
        <legend>Started between</legend>
        <div className="calls-field">
          <label htmlFor="filter-from">From</label>
          <input id="filter-from" type="datetime-local" {...field('from')} aria-invalid={rangeError ? true : undefined} />
        </div>
        <div className="calls-field">
          <label htmlFor="filter-to">To</label>
          <input id="filter-to" type="datetime-local" {...field('to')} aria-invalid={rangeError ? true : undefined} />
        </div>
        {rangeError && (
          <p id="filter-range-error" className="field-error" role="alert">
            {rangeError}
          </p>
        )}
      </fieldset>
      <div className="calls-field">
        <label htmlFor="filter-department">Department</label>
        {departmentChoices ? (
          <select id="filter-department" {...field('department')}>
            <option value="">Any department</option>
            {departmentChoices.map((department) => (
              <option key={department.key} value={department.key}>
                {department.displayName === department.key ? department.key : `${department.displayName} (${department.key})`}
              </option>
            ))}
          </select>
        ) : (
          <input id="filter-department" {...field('department')} placeholder="e.g. refund" autoComplete="off" />
        )}
      </div>
      <div className="calls-field">
        <label htmlFor="filter-outcome">Outcome</label>
        <select id="filter-outcome" {...field('outcome')}>
          <option value="">Any outcome</option>
          {CALL_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </div>
      <div className="calls-actions">
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
