import { adversarialShapes, realisticTranscript } from '../../../bench/support/redaction-inputs';
import { redact } from '../../../src/privacy/sensitive-data.redactor';
import { redactedAndCapped, storableRedacted } from '../../../src/privacy/storable-redacted';
import { capText, JsonLimits, toStorableText } from '../../../src/privacy/storable-text';

const JOURNAL_LIMITS: JsonLimits = { maxStringChars: 4000, maxTotalChars: 64_000, maxDepth: 8 };

describe('storableRedacted', () => {
  it('redacts every string of a tool call, keeping ids, numbers and structure', () => {
    const toolArguments = {
      email: 'jane@example.com',
      order_id: 'ORD-12345',
      notes: ['call +15551234567', 42, true, null],
      card: { number: '4111 1111 1111 1111' },
    };
    expect(storableRedacted(toolArguments, JOURNAL_LIMITS)).toEqual({
      value: { email: '[email]', order_id: 'ORD-12345', notes: ['call [phone]', 42, true, null], card: { number: '[card]' } },
      truncated: false,
      originalChars: JSON.stringify(toolArguments).length,
    });
  });

  it('redacts keys too, keeping the first of keys that become equal', () => {
    const bounded = storableRedacted({ 'jane@example.com': 'customer', '+15551234567': 'mobile', '+15559876543': 'home' }, JOURNAL_LIMITS);
    expect(bounded.value).toEqual({ '[email]': 'customer', '[phone]': 'mobile' });
    expect(bounded.truncated).toBe(true);
  });

  it('removes NUL before redacting, so a NUL cannot hide a number', () => {
    expect(storableRedacted({ text: 'call +1555\u00001234567 or jane\u0000@example.com' }, JOURNAL_LIMITS).value).toEqual({
      text: 'call [phone] or [email]',
    });
  });

  it('replaces lone surrogates and keeps emoji and accents', () => {
    expect(storableRedacted(['Crème brûlée 😀 \uD83D x'], JOURNAL_LIMITS).value).toEqual(['Crème brûlée 😀 \uFFFD x']);
  });

  it('handles a 5 MB transcript string and 100 KB per field quickly, and says it cut them', () => {
    const event = {
      text: realisticTranscript(5_000_000),
      arguments: Object.fromEntries(Object.entries(adversarialShapes).map(([name, shape]) => [name, shape.build(100_000)])),
    };
    const startedAt = performance.now();
    const bounded = storableRedacted(event, JOURNAL_LIMITS);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(bounded.truncated).toBe(true);
    expect(bounded.originalChars).toBeGreaterThan(5_900_000);
    expect(JSON.stringify(bounded.value).length).toBeLessThanOrEqual(JOURNAL_LIMITS.maxTotalChars);
    expect((bounded.value as { text: string }).text).toBe(capText(redact(event.text), 4000).text);
  });
});

describe('redactedAndCapped', () => {
  it('keeps a short text whole and unmarked', () => {
    expect(redactedAndCapped('mail jane@example.com', 100)).toEqual({ text: 'mail [email]' });
  });

  it('redacts a card that straddles the cap instead of keeping its first digits', () => {
    const text = `${'x'.repeat(95)} 4111 1111 1111 1111 and more`;
    expect(redactedAndCapped(text, 100)).toEqual({ text: `${'x'.repeat(95)} [car`, originalLength: text.length });
  });

  it('keeps a cut number out even when redactions before it shortened the text a lot', () => {
    // A prefix of maxChars + 512 would end 5 digits into a card; redacting the 71 cards before
    // it shrinks the prefix so much that those digits would fall within the cap.
    const text = `cards on file: ${'4111 1111 1111 1111, '.repeat(200)}`;
    const capped = redactedAndCapped(text, 1000);
    expect(capped.text).not.toMatch(/\d/);
    expect(capped.text).toBe(capText(redact(text), 1000).text);
  });

  it('gives the first maxChars of the whole text redacted, on transcripts of any length', () => {
    const transcript = realisticTranscript(200_000, 7);
    for (const maxChars of [0, 1, 50, 999, 4000, 65_536, 199_000, 250_000]) {
      const expected = capText(redact(transcript), maxChars).text;
      expect(redactedAndCapped(transcript, maxChars).text).toBe(expected);
    }
  });

  it('treats a negative or NaN cap as nothing kept', () => {
    expect(redactedAndCapped('jane@example.com', -5)).toEqual({ text: '', originalLength: 16 });
    expect(redactedAndCapped('jane@example.com', Number.NaN)).toEqual({ text: '', originalLength: 16 });
  });

  it('makes the text storable before redacting it', () => {
    expect(redactedAndCapped('a\u0000b \uDE00', 10)).toEqual({ text: toStorableText('a\u0000b \uDE00') });
  });
});
