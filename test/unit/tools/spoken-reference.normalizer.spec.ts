import {
  normalizeAccountId,
  normalizeEmail,
  normalizeOrderId,
  normalizePostcode,
} from '../../../src/agents/tools/spoken-reference.normalizer';

describe('normalizeOrderId', () => {
  it.each([
    ['ORD-12345', 'ORD-12345'],
    ['ord-12345', 'ORD-12345'],
    ['ord 12345', 'ORD-12345'],
    ['ORD12345', 'ORD-12345'],
    ['order number 12345', 'ORD-12345'],
    ['Order #12345', 'ORD-12345'],
    ['my order no. 12345', 'ORD-12345'],
    ['12345', 'ORD-12345'],
    ['1 2 3 4 5', 'ORD-12345'],
    ['12-345', 'ORD-12345'],
    ['order one two three four five', 'ORD-12345'],
    ['o r d six seven eight nine zero', 'ORD-67890'],
    ['ord one two one oh oh', 'ORD-12100'],
  ])('reads %p as %p', (spoken, expected) => {
    expect(normalizeOrderId(spoken)).toBe(expected);
  });

  it.each(['', 'order', 'abc', 'ORD-12A45', '12', '12345678901', 'refund 12345', 'ACC-001 12345'])('rejects %p', (spoken) => {
    expect(normalizeOrderId(spoken)).toBeUndefined();
  });
});

describe('normalizeAccountId', () => {
  it.each([
    ['ACC-001', 'ACC-001'],
    ['acc 001', 'ACC-001'],
    ['account number 1', 'ACC-001'],
    ['acc-2', 'ACC-002'],
    ['ACC1234', 'ACC-1234'],
  ])('reads %p as %p', (spoken, expected) => {
    expect(normalizeAccountId(spoken)).toBe(expected);
  });

  it.each(['', 'account', 'jane@example.com', 'ORD-12345'])('rejects %p', (spoken) => {
    expect(normalizeAccountId(spoken)).toBeUndefined();
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['jane@example.com', 'jane@example.com'],
    ['  Jane@Example.COM ', 'jane@example.com'],
    ['jane at example dot com', 'jane@example.com'],
    ['jane dot doe at mail dot example dot com', 'jane.doe@mail.example.com'],
  ])('reads %p as %p', (spoken, expected) => {
    expect(normalizeEmail(spoken)).toBe(expected);
  });

  it.each(['jane', 'jane@', '@example.com', 'jane@example', 'jane@@example.com', 'jane at example'])('rejects %p', (spoken) => {
    expect(normalizeEmail(spoken)).toBeUndefined();
  });
});

describe('normalizePostcode', () => {
  it.each([
    ['94107', '94107'],
    [' 94107 ', '94107'],
    ['9 4 1 0 7', '94107'],
    ['nine four one oh seven', '94107'],
    ['zip code 94107', '94107'],
    ['my postcode is 94107', '94107'],
    ['94107-1234', '94107'],
    ['sw1a 1aa', 'SW1A1AA'],
    ['SW1A-1AA', 'SW1A1AA'],
    ['ec1a 1bb', 'EC1A1BB'],
  ])('reads %p as %p', (spoken, expected) => {
    expect(normalizePostcode(spoken)).toBe(expected);
  });

  it.each(['', 'zip code', 'abc', '12', 'not a postcode at all', '12345678901'])('rejects %p', (spoken) => {
    expect(normalizePostcode(spoken)).toBeUndefined();
  });
});
