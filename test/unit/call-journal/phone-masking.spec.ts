import { maskPhoneNumber } from '../../../src/call-journal/phone-masking';
import { hashCallerNumber, normalizeCallerNumber } from '../../../src/caller-history/caller-hash';

describe('maskPhoneNumber', () => {
  it.each([
    ['+15551234567', '+1555***4567'],
    ['+1 (555) 123-4567', '+1555***4567'],
    ['+442079460958', '+4420***0958'],
    ['12345', '***45'],
    ['anonymous', '***us'],
    ['client:alice', '***ce'],
    ['42', '***'],
    ['', '***'],
  ])('%j -> %j', (raw, masked) => {
    expect(maskPhoneNumber(raw)).toBe(masked);
  });

  it('never contains the middle digits of a full number', () => {
    expect(maskPhoneNumber('+15559876543')).not.toContain('987');
  });
});

describe('caller hash', () => {
  const secret = 'a-test-secret-of-some-length';

  it('normalises punctuation before hashing', () => {
    expect(normalizeCallerNumber('+1 (555) 123-4567')).toBe('+15551234567');
    expect(hashCallerNumber('+1 (555) 123-4567', secret)).toBe(hashCallerNumber('+15551234567', secret));
  });

  it('is a keyed hex digest that depends on the secret and never contains the number', () => {
    const hash = hashCallerNumber('+15551234567', secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('5551234567');
    expect(hashCallerNumber('+15551234567', `${secret}-other`)).not.toBe(hash);
    expect(hashCallerNumber('+15551234568', secret)).not.toBe(hash);
  });
});
