/**
 * What never reaches stored transcripts and summaries: email addresses, phone numbers and
 * card-like numbers. Order, refund, ticket and tracking ids survive: a number glued to letters
 * or a hyphen (ORD-12345, RF-1234567890, 1Z999AA10123456784) is an id, not a number spoken alone.
 *
 * This runs on the event loop that relays live audio, over text the caller and the model
 * control, so every pass is linear in its input. Emails and digit groups are scanned by hand:
 * as regexes, an email pattern rescans a long run without '@' from every start position, and
 * a digit-group pattern with an unbounded repetition overflows the regex backtrack stack on a
 * few megabytes of "1 1 1". The phone patterns stay regexes because a match is at most 23
 * characters long, so each start position costs bounded work.
 */
const INTERNATIONAL_PHONE = /(?<![\w+])\+\d[\d ().-]{6,20}\d(?![\w-])/g;
const NORTH_AMERICAN_PHONE = /(?<![\w-])(?:1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![\w-])/g;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

// The passes run in this order on each other's output, as they always have: "[email]" and
// "[card]" end a digit or phone run for the passes after them.
export function redact(text: string): string {
  const withoutEmails = replaceEmails(text);
  const withoutCards = replaceCardNumbers(withoutEmails);
  return withoutCards
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

/**
 * Replaces what /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g matched:
 * the local part is the run of local characters before an '@' (not reaching back into the
 * previous match); the domain runs over dot-separated labels up to the leading letters of the
 * last label (after the first) that starts with two letters. A character is read a bounded
 * number of times: backwards from the '@' after it, forwards from the '@' before it.
 */
function replaceEmails(text: string): string {
  let redacted = '';
  let copiedUpTo = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > copiedUpTo && isEmailLocalCharacter(text.charCodeAt(start - 1))) start--;
    const end = start < at ? emailDomainEnd(text, at + 1) : -1;
    if (end === -1) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    redacted += `${text.slice(copiedUpTo, start)}[email]`;
    copiedUpTo = end;
    at = text.indexOf('@', end);
  }
  return copiedUpTo === 0 ? text : redacted + text.slice(copiedUpTo);
}

/** Where the domain starting at `from` ends, or -1 when it has no top-level domain. */
function emailDomainEnd(text: string, from: number): number {
  let labelEnd = endOfRun(text, from, isDomainLabelCharacter);
  if (labelEnd === from) return -1;
  let domainEnd = -1;
  while (text.charCodeAt(labelEnd) === DOT) {
    const labelStart = labelEnd + 1;
    labelEnd = endOfRun(text, labelStart, isDomainLabelCharacter);
    if (labelEnd === labelStart) break;
    const lettersEnd = endOfRun(text, labelStart, isAsciiLetter);
    if (lettersEnd - labelStart >= 2) domainEnd = lettersEnd;
  }
  return domainEnd;
}

/**
 * Replaces card-like numbers among what /(?<![\w+-])\d+(?:[ -]\d+)*(?![\w-])/g matched. A
 * chain of digit runs joined by single spaces or hyphens holds at most one such match, from
 * its first run that may start one to its last run that may end one, so one walk per chain
 * finds it.
 */
function replaceCardNumbers(text: string): string {
  let redacted = '';
  let copiedUpTo = 0;
  let position = 0;
  while (position < text.length) {
    if (!isDigit(text.charCodeAt(position))) {
      position++;
      continue;
    }
    const chain = digitChainAt(text, position);
    if (chain.match && isCardLike(text, chain.match.start, chain.match.end)) {
      redacted += `${text.slice(copiedUpTo, chain.match.start)}[card]`;
      copiedUpTo = chain.match.end;
    }
    position = chain.end;
  }
  return copiedUpTo === 0 ? text : redacted + text.slice(copiedUpTo);
}

interface DigitChain {
  end: number;
  match?: { start: number; end: number };
}

function digitChainAt(text: string, chainStart: number): DigitChain {
  // A group starts at a run not glued to a word, '+' or '-', and ends before a space or,
  // at the end of the chain, before anything but a word character or '-'.
  let matchStart = isDigitGroupPrefix(text.charCodeAt(chainStart - 1)) ? -1 : chainStart;
  let matchEnd = -1;
  let position = endOfRun(text, chainStart, isDigit);
  for (;;) {
    const separator = text.charCodeAt(position);
    const chainGoesOn = (separator === SPACE || separator === HYPHEN) && isDigit(text.charCodeAt(position + 1));
    if (!chainGoesOn) {
      if (matchStart !== -1 && !isWordCharacter(separator) && separator !== HYPHEN) matchEnd = position;
      break;
    }
    if (separator === SPACE) {
      if (matchStart === -1) matchStart = position + 1;
      else matchEnd = position;
    }
    position = endOfRun(text, position + 1, isDigit);
  }
  return { end: position, match: matchEnd === -1 ? undefined : { start: matchStart, end: matchEnd } };
}

function isCardLike(text: string, start: number, end: number): boolean {
  let digits = 0;
  for (let position = start; position < end && digits <= CARD_MAX_DIGITS; position++) {
    if (isDigit(text.charCodeAt(position))) digits++;
  }
  // Past the digit count the candidate is at most 37 characters long, so the date test is cheap.
  return digits >= CARD_MIN_DIGITS && digits <= CARD_MAX_DIGITS && !ISO_DATE.test(text.slice(start, end));
}

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

// Character tests take charCodeAt() results: NaN past either end of the text matches none.
const SPACE = 0x20;
const PERCENT = 0x25;
const PLUS = 0x2b;
const HYPHEN = 0x2d;
const DOT = 0x2e;
const UNDERSCORE = 0x5f;

function endOfRun(text: string, from: number, belongs: (code: number) => boolean): number {
  let position = from;
  while (position < text.length && belongs(text.charCodeAt(position))) position++;
  return position;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isWordCharacter(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code) || code === UNDERSCORE;
}

function isDigitGroupPrefix(code: number): boolean {
  return isWordCharacter(code) || code === PLUS || code === HYPHEN;
}

function isDomainLabelCharacter(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code) || code === HYPHEN;
}

function isEmailLocalCharacter(code: number): boolean {
  return isDomainLabelCharacter(code) || code === DOT || code === UNDERSCORE || code === PERCENT || code === PLUS;
}
