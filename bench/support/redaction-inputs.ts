import { seededRandom } from './bench-random';

/** Text built against one redaction pattern, about `chars` long. */
export interface AdversarialShape {
  build(chars: number): string;
  /** What redact() must return for it. */
  expected(text: string): string;
  /** The size at which the previous regex redactor failed on it, when it did. */
  regressionChars: number;
}

const unchanged = (text: string): string => text;

function repeatTo(unit: string, chars: number): string {
  return unit.repeat(Math.max(1, Math.round(chars / unit.length)));
}

export const adversarialShapes: Record<string, AdversarialShape> = {
  'letters with no @ (email local part)': { build: (chars) => repeatTo('a', chars), expected: unchanged, regressionChars: 2_000_000 },
  'dots, hyphens and underscores mixed': { build: (chars) => repeatTo('.-_', chars), expected: unchanged, regressionChars: 2_000_000 },
  'a long local part and an @ with nothing after': {
    build: (chars) => `${repeatTo('a.', chars - 1)}@`,
    expected: unchanged,
    regressionChars: 2_000_000,
  },
  'an address whose labels never make a top-level domain': {
    build: (chars) => `name@${repeatTo('1host.', chars - 5)}`,
    expected: unchanged,
    regressionChars: 2_000_000,
  },
  'digits joined by hyphens': { build: (chars) => repeatTo('1-', chars), expected: unchanged, regressionChars: 2_000_000 },
  // The previous digit-group pattern overflowed the regex backtrack stack on 8 MB of this.
  'digits joined by spaces, ending glued to a letter': {
    build: (chars) => `${repeatTo('1 ', chars - 2)}1a`,
    expected: unchanged,
    regressionChars: 8_000_000,
  },
  'international prefixes': { build: (chars) => repeatTo('+1 ', chars), expected: unchanged, regressionChars: 2_000_000 },
  'international prefixes glued by dots': { build: (chars) => repeatTo('+1.', chars), expected: unchanged, regressionChars: 2_000_000 },
  'phone numbers back to back': {
    build: (chars) => repeatTo('555 555 5555 ', chars),
    expected: (text) => '[phone] '.repeat(text.length / '555 555 5555 '.length),
    regressionChars: 2_000_000,
  },
};

const SENTENCES = [
  "Hi, I'm calling about my order ORD-{5}, it was supposed to arrive on 2026-05-{2}.",
  'Sure, my email is jane.doe{2}@example.com and my phone is +1 555 123 4567.',
  'I can see the refund RF-{10} was issued for 84.99 dollars.',
  'The card on file is 4111 1111 1111 1111, expiring 12/27.',
  'You can reach me at (555) 123-4567 after five.',
  'Tracking number 1Z999AA1{10}, it left the depot at 10:45.',
  'Let me transfer you to billing, one moment please.',
  'Thanks, that is all I needed. Have a good day!',
];

/** Caller and agent lines with ids, dates, amounts and some emails, phones and cards, about `chars` long. */
export function realisticTranscript(chars: number, seed = 1): string {
  const random = seededRandom(seed);
  const lines: string[] = [];
  let length = 0;
  while (length < chars) {
    const sentence = SENTENCES[Math.floor(random() * SENTENCES.length)].replace(/\{(\d+)\}/g, (_, digits: string) =>
      randomDigits(random, Number(digits)),
    );
    const line = `${random() < 0.5 ? 'caller' : 'agent'}: ${sentence}`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

const FRAGMENTS = [
  'jane',
  '@',
  'example',
  '.',
  'co',
  'uk',
  'c',
  '4111',
  ' ',
  '-',
  '+1',
  '+',
  '(555)',
  '555',
  '123',
  '4567',
  'ORD-',
  '_',
  'a',
  '1',
  '12',
  '2026-05-09',
  '1111 ',
  '.com',
  'x@y',
];
const CHARACTERS = 'aZ19 0-._%+@()x[]\u0000é\n';

/** Short text from pieces of emails, phones, cards and ids, or from their characters. */
export function randomFragmentText(random: () => number): string {
  const fromFragments = random() < 0.5;
  const parts = fromFragments ? FRAGMENTS : [...CHARACTERS];
  const count = Math.floor(random() * (fromFragments ? 14 : 40));
  let text = '';
  for (let index = 0; index < count; index++) text += parts[Math.floor(random() * parts.length)];
  return text;
}

/** The shortest of several timings, in milliseconds: the one least disturbed by other work. */
export function fastestOf(repetitions: number, work: () => unknown): number {
  let fastest = Infinity;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const startedAt = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - startedAt);
  }
  return fastest;
}

function randomDigits(random: () => number, count: number): string {
  let digits = '';
  for (let index = 0; index < count; index++) digits += Math.floor(random() * 10);
  return digits;
}
