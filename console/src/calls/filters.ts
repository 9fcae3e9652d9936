import { ApiError } from '../api/client';
import { CALL_OUTCOMES, CallOutcome } from './types';

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
/** GET /calls refuses more. */
const MAX_PAGE_SIZE = 200;

/** The Calls page's filters and page, as its own query string carries them (bookmarkable; never the token). */
export interface CallFilters {
  callSid: string;
  /** ISO 8601 instants, as GET /calls takes them. */
  from: string;
  to: string;
  department: string;
  outcome: CallOutcome | '';
  page: number;
  pageSize: number;
}

export function filtersOf(params: URLSearchParams): CallFilters {
  const outcome = params.get('outcome') ?? '';
  return {
    callSid: (params.get('callSid') ?? '').trim(),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    department: params.get('department') ?? '',
    outcome: isOutcome(outcome) ? outcome : '',
    page: positiveInteger(params.get('page'), 1),
    pageSize: Math.min(MAX_PAGE_SIZE, positiveInteger(params.get('pageSize'), DEFAULT_PAGE_SIZE)),
  };
}

/** The page's query string: only what differs from the defaults. */
export function searchParamsOf(filters: CallFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.callSid) params.set('callSid', filters.callSid);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.department) params.set('department', filters.department);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.page !== 1) params.set('page', String(filters.page));
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(filters.pageSize));
  return params;
}

/** GET /calls's query. */
export function apiQueryOf(filters: CallFilters): Record<string, string | number | undefined> {
  return {
    callSid: filters.callSid || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    department: filters.department || undefined,
    outcome: filters.outcome || undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

export function hasFilters(filters: CallFilters): boolean {
  return Boolean(filters.callSid || filters.from || filters.to || filters.department || filters.outcome);
}

/** An ISO instant as a datetime-local input shows it, in this browser's time zone ("2025-11-17T09:30"). */
export function localInputOf(iso: string): string {
  const date = new Date(iso);
  if (iso === '' || Number.isNaN(date.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO instant; '' when empty or not a time. */
export function isoOfLocalInput(value: string): string {
  if (value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** "1–25 of 120", "0 of 0". */
export function rangeLabel(page: number, pageSize: number, shown: number, total: number): string {
  if (shown === 0) return `0 of ${total}`;
  const first = (page - 1) * pageSize + 1;
  return `${first}–${first + shown - 1} of ${total}`;
}

/**
 * The messages a validation error gives each query field. The service sends a list of
 * { field, messages }; an object of field -> messages is read too.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields: unknown = error.body.fields;
  const errors: Record<string, string> = {};
  if (Array.isArray(fields)) {
    for (const entry of fields) {
      if (entry && typeof entry === 'object' && typeof entry.field === 'string' && Array.isArray(entry.messages))
        errors[entry.field] = entry.messages.join('; ');
    }
  } else if (fields && typeof fields === 'object') {
    for (const [field, messages] of Object.entries(fields))
      errors[field] = Array.isArray(messages) ? messages.join('; ') : String(messages);
  }
  return errors;
}

function isOutcome(value: string): value is CallOutcome {
  return (CALL_OUTCOMES as readonly string[]).includes(value);
}

function positiveInteger(value: string | null, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : fallback;
}
