// Callers say "order number one two three four five" or "ord 12345"; the model passes that on.

const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

const ORDER_PREFIX_WORDS = new Set(['the', 'my', 'order', 'ord', 'number', 'num', 'no', 'nr', 'id']);
const ACCOUNT_PREFIX_WORDS = new Set(['the', 'my', 'account', 'acc', 'acct', 'customer', 'number', 'num', 'no', 'nr', 'id']);

function referenceDigits(raw: string, prefixWords: Set<string>): string | undefined {
  const tokens = raw
    .toLowerCase()
    .replace(/\bo\s+r\s+d\b/g, 'ord')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split(/[\s.,:;#_\-/]+/)
    .filter((token) => token !== '')
    .map((token) => DIGIT_WORDS[token] ?? token);
  let start = 0;
  while (start < tokens.length && prefixWords.has(tokens[start])) start++;
  const rest = tokens.slice(start);
  if (rest.length === 0 || !rest.every((token) => /^\d+$/.test(token))) return undefined;
  return rest.join('');
}

/** 'ord 12345', 'order number 12345', 'ORD-12345', '12345' -> 'ORD-12345'; undefined when it is not an order id. */
export function normalizeOrderId(raw: string): string | undefined {
  const digits = referenceDigits(raw, ORDER_PREFIX_WORDS);
  if (!digits || digits.length < 3 || digits.length > 10) return undefined;
  return `ORD-${digits}`;
}

/** 'acc 001', 'account number 1', 'ACC-001' -> 'ACC-001'. */
export function normalizeAccountId(raw: string): string | undefined {
  const digits = referenceDigits(raw, ACCOUNT_PREFIX_WORDS);
  if (!digits || digits.length > 10) return undefined;
  return `ACC-${digits.padStart(3, '0')}`;
}

/** Lowercases and trims; also accepts the spoken "jane at example dot com". */
export function normalizeEmail(raw: string): string | undefined {
  let email = raw.trim().toLowerCase();
  if (!email.includes('@')) {
    email = email.replace(/\s+at\s+/g, '@').replace(/\s+dot\s+/g, '.');
  }
  email = email.replace(/\s+/g, '');
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? email : undefined;
}

const POSTCODE_PREFIX_WORDS = new Set(['my', 'the', 'billing', 'post', 'postal', 'postcode', 'zip', 'zipcode', 'code', 'is']);

/**
 * The form postcodes are stored in: uppercase letters and digits only. Accepts '94107',
 * 'sw1a 1aa', 'zip code 94107', 'nine four one oh seven'; a ZIP+4 ('94107-1234') is its ZIP.
 */
export function normalizePostcode(raw: string): string | undefined {
  const tokens = raw
    .toLowerCase()
    .split(/[\s.,:;#_\-/]+/)
    .filter((token) => token !== '');
  let start = 0;
  while (start < tokens.length && POSTCODE_PREFIX_WORDS.has(tokens[start])) start++;
  const code = tokens
    .slice(start)
    .map((token) => DIGIT_WORDS[token] ?? token)
    .join('')
    .toUpperCase();
  if (/^\d{9}$/.test(code)) return code.slice(0, 5);
  return /^[A-Z0-9]{3,10}$/.test(code) && /\d/.test(code) ? code : undefined;
}
