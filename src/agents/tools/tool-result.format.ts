/** Money as the model reads it: 8499 -> 84.99 (with currency beside it). */
export function amountOf(cents: number): number {
  return Math.round(cents) / 100;
}

/** A calendar date as YYYY-MM-DD (UTC). */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
