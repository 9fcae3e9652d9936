import { FormEvent, useState } from 'react';
import { fromLocalInput, PRESETS, RangeChoice, toLocalInput } from './timeRange';

interface RangePickerProps {
  choice: RangeChoice | undefined;
  /** The instants shown, to prefill the custom fields. */
  shown: { from: Date; to: Date } | undefined;
  onChoose(choice: RangeChoice): void;
}

export function RangePicker({ choice, shown, onChoose }: RangePickerProps) {
  const [problem, setProblem] = useState<string>();

  const applyCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = fromLocalInput(String(form.get('from') ?? ''));
    const to = fromLocalInput(String(form.get('to') ?? ''));
    if (!from || !to) return setProblem('Enter both a start and an end.');
    if (from.getTime() >= to.getTime()) return setProblem('The start must be before the end.');
    setProblem(undefined);
    onChoose({ kind: 'custom', from, to });
  };

  return (
    <div className="toolbar flow-range">
      <div role="group" aria-label="Time range" className="segmented">
        {PRESETS.map((preset) => {
          const active = choice?.kind === 'preset' && choice.preset === preset.key;
          return (
            <button
              key={preset.key}
              type="button"
              className={active ? undefined : 'secondary'}
              aria-pressed={active}
              onClick={() => {
                setProblem(undefined);
                onChoose({ kind: 'preset', preset: preset.key });
              }}
            >
              {preset.label}
            </button>
          );
        })}
      </div>
      {/* Keyed by the range shown so the fields follow a preset chosen meanwhile. */}
      <form
        key={shown ? `${shown.from.getTime()}-${shown.to.getTime()}` : 'none'}
        className="flow-custom"
        onSubmit={applyCustom}
        aria-label="Custom range"
        noValidate
      >
        <div>
          <label htmlFor="range-from">From</label>
          <input
            id="range-from"
            name="from"
            type="datetime-local"
            defaultValue={shown ? toLocalInput(shown.from) : ''}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'range-problem' : undefined}
          />
        </div>
        <div>
          <label htmlFor="range-to">To</label>
          <input
            id="range-to"
            name="to"
            type="datetime-local"
            defaultValue={shown ? toLocalInput(shown.to) : ''}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'range-problem' : undefined}
          />
        </div>
        <button type="submit" className={choice?.kind === 'custom' ? undefined : 'secondary'}>
          Apply custom range
        </button>
      </form>
      {problem && (
        <p id="range-problem" role="alert" className="field-error flow-range-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
