const wholeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const formatCount = (value: number) => wholeNumber.format(value);

export const formatShare = (fraction: number) => percentFormat.format(fraction);

/** Seconds as people read a handle time: "4 min 05 s", "48 s", "2.5 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toLocaleString()} s`;
  const rounded = Math.round(seconds);
  if (rounded < 60) return `${rounded} s`;
  const minutes = Math.floor(rounded / 60);
  return `${minutes} min ${String(rounded % 60).padStart(2, '0')} s`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    // A code Intl does not know still deserves its figure.
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDateTime = (date: Date | string) => dateTime.format(typeof date === 'string' ? new Date(date) : date);

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHourFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A bucket's start as an axis tick: the hour (with the day when the range spans several) or the day. */
export function formatBucket(start: string, bucket: 'hour' | 'day', spansDays: boolean): string {
  const date = new Date(start);
  if (bucket === 'day') return dayFormat.format(date);
  return spansDays ? dayHourFormat.format(date) : hourFormat.format(date);
}
