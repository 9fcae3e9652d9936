/** The Flow page's time range, as its query string carries it: `?range=24h`, or `?from=<ISO>&to=<ISO>`. */

export type PresetKey = '1h' | '24h' | '7d' | '30d';

export const PRESETS: readonly { key: PresetKey; label: string; ms: number }[] = [
  { key: '1h', label: 'Last hour', ms: 60 * 60 * 1000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 24 * 60 * 60 * 1000 },
];

export const DEFAULT_PRESET: PresetKey = '24h';

export type RangeChoice = { kind: 'preset'; preset: PresetKey } | { kind: 'custom'; from: Date; to: Date };

export type ParsedRange = { ok: true; choice: RangeChoice } | { ok: false; problem: string };

function isPreset(value: string | null): value is PresetKey {
  return PRESETS.some((preset) => preset.key === value);
}

function parseInstant(value: string): Date | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function parseRange(params: URLSearchParams): ParsedRange {
  const from = params.get('from');
  const to = params.get('to');
  if (from !== null || to !== null) {
    const fromDate = from === null ? undefined : parseInstant(from);
    const toDate = to === null ? undefined : parseInstant(to);
    if (!fromDate || !toDate) return { ok: false, problem: 'The custom range needs a valid start and end.' };
    if (fromDate.getTime() >= toDate.getTime()) return { ok: false, problem: 'The start of the range must be before its end.' };
    return { ok: true, choice: { kind: 'custom', from: fromDate, to: toDate } };
  }
  const range = params.get('range');
  if (range === null) return { ok: true, choice: { kind: 'preset', preset: DEFAULT_PRESET } };
  if (isPreset(range)) return { ok: true, choice: { kind: 'preset', preset: range } };
  return { ok: false, problem: `"${range}" is not a range this page knows.` };
}

export function rangeQuery(choice: RangeChoice): URLSearchParams {
  return choice.kind === 'preset'
    ? new URLSearchParams({ range: choice.preset })
    : new URLSearchParams({ from: choice.from.toISOString(), to: choice.to.toISOString() });
}

/** The instants a choice covers, a preset ending at `now`. */
export function resolveRange(choice: RangeChoice, now: number): { from: Date; to: Date } {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  const preset = PRESETS.find((candidate) => candidate.key === choice.preset) ?? PRESETS[1];
  return { from: new Date(now - preset.ms), to: new Date(now) };
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A date as a datetime-local input shows it (local time, minutes). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local input's value (local time, no offset) as an instant. */
export function fromLocalInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  return parseInstant(value);
}
