import { seededRandom } from '../../../bench/support/bench-random';
import { adversarialShapes, fastestOf, randomFragmentText, realisticTranscript } from '../../../bench/support/redaction-inputs';
import { redact, redactDeep } from '../../../src/privacy/sensitive-data.redactor';
import { previousRegexRedact } from './previous-regex.redactor';

describe('redact', () => {
  it.each([
    ['my email is jane.doe+acme@example.co.uk thanks', 'my email is [email] thanks'],
    ['call me on +1 555 123 4567 please', 'call me on [phone] please'],
    ['call me on +15551234567.', 'call me on [phone].'],
    ['my number is (555) 123-4567', 'my number is [phone]'],
    ['my number is 555.123.4567 or 555-123-4567', 'my number is [phone] or [phone]'],
    ['UK: +44 20 7946 0958', 'UK: [phone]'],
    ['card 4111 1111 1111 1111 exp 12/27', 'card [card] exp 12/27'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['card 4111111111111111', 'card [card]'],
    ['amex 3782 822463 10005', 'amex [card]'],
    ['digits 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1', 'digits [card]'],
  ])('redacts %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'refund for ORD-12345 please',
    'refund RF-1234567890 was issued',
    'ticket TCK-0A1B2C3D4E is open',
    'tracking 1Z999AA10123456784',
    'it ships on 2026-05-09, ETA 2026-05-12',
    'delivered at 2025-11-18T10:00:00.000Z',
    'the total was 84.99 dollars for 2 items',
    'account ACC-001',
    'call CA0123456789abcdef0123456789abcdef',
    'id 3f2b1c4d-1234-5678-9abc-def012345678',
  ])('keeps ids, dates and amounts intact: %j', (input) => {
    expect(redact(input)).toBe(input);
  });

  it('redacts everything in one utterance and keeps the order id', () => {
    expect(redact('ORD-12345, jane@example.com, +15551234567, 4111 1111 1111 1111')).toBe('ORD-12345, [email], [phone], [card]');
  });

  it.each([
    // The local part stops where the previous address ended.
    ['a@b.cc.x1@d.com', '[email][email]'],
    ['x@y@foo.com', 'x@[email]'],
    // The top-level domain is the leading letters of the last label that has two.
    ['write to a@b.com1 now', 'write to [email]1 now'],
    ['a@b.c-om', 'a@b.c-om'],
    ['end of sentence jane@example.com.', 'end of sentence [email].'],
    // A digit group ends before a space, not before a letter or a hyphen.
    ['4111 1111 1111 1111 1111a', '[card] 1111a'],
    ['x-4111 1111 1111 1111 2', 'x-4111 [card]'],
    ['4111 1111 1111 1111-', '4111 1111 1111 1111-'],
  ])('matches where the previous patterns matched: %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(previousRegexRedact(input)).toBe(expected);
  });

  it('gives the same answer as the previous regex patterns on random short texts', () => {
    const random = seededRandom(20251118);
    for (let sample = 0; sample < 10_000; sample++) {
      const text = randomFragmentText(random);
      expect([text, redact(text)]).toEqual([text, previousRegexRedact(text)]);
    }
  });

  describe('on inputs built against each pattern', () => {
    // The previous patterns took minutes on these, or overflowed the regex backtrack stack.
    it.each(Object.entries(adversarialShapes))('handles megabytes of %s in well under a second per megabyte', (_name, shape) => {
      const text = shape.build(shape.regressionChars);
      const startedAt = performance.now();
      const redacted = redact(text);
      const elapsedMs = performance.now() - startedAt;
      expect(redacted === shape.expected(text)).toBe(true);
      expect(elapsedMs).toBeLessThan(Math.max(2000, (text.length / 1_000_000) * 500));
    });

    it.each(Object.entries(adversarialShapes))('takes about 4x the time on 4x the input: %s', (_name, shape) => {
      const small = shape.build(250_000);
      const large = shape.build(1_000_000);
      let smallMs = Infinity;
      let largeMs = Infinity;
      // Interleaved, so a burst of other work on the machine slows both sizes alike.
      for (let round = 0; round < 9; round++) {
        smallMs = Math.min(
          smallMs,
          fastestOf(1, () => redact(small)),
        );
        largeMs = Math.min(
          largeMs,
          fastestOf(1, () => redact(large)),
        );
      }
      expect(largeMs / smallMs).toBeLessThan(8);
    });
  });

  describe('on large inputs', () => {
    it('still finds an address after a megabyte of email-like noise', () => {
      const noise = '.-_a1'.repeat(200_000);
      expect(redact(`${noise} jane@example.com`)).toBe(`${noise} [email]`);
    });

    it('still finds a card number after a megabyte of digit groups', () => {
      const noise = '1 1-'.repeat(250_000);
      expect(redact(`${noise}x 4111 1111 1111 1111`).endsWith('x [card]')).toBe(true);
    });

    it('redacts every address, phone and card in a megabyte of transcript, like the previous patterns', () => {
      const transcript = realisticTranscript(1_000_000);
      const redacted = redact(transcript);
      expect(redacted).not.toMatch(/@example\.com|555 123 4567|4111 1111/);
      const paragraphs = transcript.split('\n').slice(0, 500).join('\n');
      expect(redact(paragraphs)).toBe(previousRegexRedact(paragraphs));
    });
  });
});

describe('redactDeep', () => {
  it('redacts every string inside objects and arrays, keeping keys and other values', () => {
    const value = {
      email: 'jane@example.com',
      nested: { notes: ['call +15551234567', 42, true, null] },
      orderId: 'ORD-12345',
      amount: 84.99,
    };
    expect(redactDeep(value)).toEqual({
      email: '[email]',
      nested: { notes: ['call [phone]', 42, true, null] },
      orderId: 'ORD-12345',
      amount: 84.99,
    });
  });

  it('does not change its input', () => {
    const value = { text: 'jane@example.com' };
    redactDeep(value);
    expect(value.text).toBe('jane@example.com');
  });
});
