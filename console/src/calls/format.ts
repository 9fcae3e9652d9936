import type { CallOutcome, CallRecordStatus } from './types';

/** The callers' budget for a response (src/summaries/caller-turns.rules.ts): over 2 s feels slow, over 3 s broken. */
export const SLOW_RESPONSE_MS = 2000;
export const BROKEN_RESPONSE_MS = 3000;

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export function latencyTone(ms: number): Tone {
  if (ms > BROKEN_RESPONSE_MS) return 'bad';
  if (ms > SLOW_RESPONSE_MS) return 'warn';
  return 'good';
}

/** "850 ms", "2.4 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "0:42", "12:05", "1:02:09". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Seconds between two instants, whole. */
export function secondsBetween(fromIso: string, toMs: number): number {
  return Math.max(0, Math.floor((toMs - Date.parse(fromIso)) / 1000));
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

/** "+1:05" from the start of the call. */
export function formatOffset(iso: string, startIso: string): string {
  const ms = Date.parse(iso) - Date.parse(startIso);
  if (!Number.isFinite(ms)) return '';
  return `+${formatDuration(ms / 1000)}`;
}

export function outcomeTone(outcome: CallOutcome | null): Tone {
  switch (outcome) {
    case 'resolved':
      return 'good';
    case 'escalated':
      return 'warn';
    case 'failed':
      return 'bad';
    default:
      return 'neutral';
  }
}

export function statusTone(status: CallRecordStatus): Tone {
  return status === 'live' ? 'good' : 'neutral';
}

/** "twilio-stop" -> "Twilio stop"; the end reasons and codes are kebab or snake case. */
export function humanise(value: string): string {
  const words = value.replace(/[-_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** At most `max` characters, cut at a word boundary when one is near, with an ellipsis. */
export function truncateWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

export function badgeClass(tone: Tone): string {
  return tone === 'neutral' ? 'badge' : `badge ${tone}`;
}
