import { createHmac } from 'node:crypto';

/** The form caller-history keys are derived from: '+' then digits, whatever the punctuation. */
export function normalizeCallerNumber(raw: string): string {
  return `+${raw.replace(/\D/g, '')}`;
}

/** Keyed hash of the caller's number: the raw number never reaches Redis. */
export function hashCallerNumber(e164: string, secret: string): string {
  return createHmac('sha256', secret).update(normalizeCallerNumber(e164)).digest('hex');
}
