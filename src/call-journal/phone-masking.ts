const E164 = /^\+\d{10,15}$/;

/** '+15551234567' -> '+1555***4567': recognisable for a supervisor, never the whole number. */
export function maskPhoneNumber(raw: string): string {
  const compact = raw.replace(/[\s().-]/g, '');
  if (E164.test(compact)) return `${compact.slice(0, 5)}***${compact.slice(-4)}`;
  return compact.length > 2 ? `***${compact.slice(-2)}` : '***';
}
