/**
 * What never reaches stored transcripts and summaries: email addresses, phone numbers and
 * card-like numbers. Order, refund, ticket and tracking ids survive: a number glued to letters
 * or a hyphen (ORD-12345, RF-1234567890, 1Z999AA10123456784) is an id, not a number spoken alone.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const DIGIT_GROUPS = /(?<![\w+-])\d+(?:[ -]\d+)*(?![\w-])/g;
const INTERNATIONAL_PHONE = /(?<![\w+])\+\d[\d ().-]{6,20}\d(?![\w-])/g;
const NORTH_AMERICAN_PHONE = /(?<![\w-])(?:1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![\w-])/g;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

export function redact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(DIGIT_GROUPS, (match) => (isCardLike(match) ? '[card]' : match))
    .replace(INTERNATIONAL_PHONE, (match) => (digitCount(match) >= 8 && digitCount(match) <= 15 ? '[phone]' : match))
    .replace(NORTH_AMERICAN_PHONE, '[phone]');
}

/** redact() applied to every string inside a JSON value; keys and non-string values stay. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}

function isCardLike(candidate: string): boolean {
  const digits = digitCount(candidate);
  return digits >= 13 && digits <= 19 && !ISO_DATE.test(candidate);
}

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}
