import { redact, redactDeep } from '../../../src/summaries/sensitive-data.redactor';

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
});

describe('redactDeep', () => {
  it('redacts every string inside objects and arrays, keeping keys and other values', () => {
    const value = { email: 'jane@example.com', nested: { notes: ['call +15551234567', 42, true, null] }, orderId: 'ORD-12345', amount: 84.99 };
    expect(redactDeep(value)).toEqual({ email: '[email]', nested: { notes: ['call [phone]', 42, true, null] }, orderId: 'ORD-12345', amount: 84.99 });
  });

  it('does not change its input', () => {
    const value = { text: 'jane@example.com' };
    redactDeep(value);
    expect(value.text).toBe('jane@example.com');
  });
});
