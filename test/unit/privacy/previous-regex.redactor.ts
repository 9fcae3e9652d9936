/*
 * The regex redactor this folder's scanner replaced, kept as a test oracle: on short inputs it
 * is fast, and the scanner must give the same answer. Never call it on long inputs (the email
 * pattern is quadratic).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const DIGIT_GROUPS = /(?<![\w+-])\d+(?:[ -]\d+)*(?![\w-])/g;
const INTERNATIONAL_PHONE = /(?<![\w+])\+\d[\d ().-]{6,20}\d(?![\w-])/g;
const NORTH_AMERICAN_PHONE = /(?<![\w-])(?:1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![\w-])/g;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

export function previousRegexRedact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(DIGIT_GROUPS, (match) => (isCardLike(match) ? '[card]' : match))
    .replace(INTERNATIONAL_PHONE, (match) => (digitCount(match) >= 8 && digitCount(match) <= 15 ? '[phone]' : match))
    .replace(NORTH_AMERICAN_PHONE, '[phone]');
}

function isCardLike(candidate: string): boolean {
  const digits = digitCount(candidate);
  return digits >= 13 && digits <= 19 && !ISO_DATE.test(candidate);
}

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}
