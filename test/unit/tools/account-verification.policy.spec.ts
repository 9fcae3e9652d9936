import { MAX_VERIFICATION_ATTEMPTS, verificationDecision } from '../../../src/agents/tools/account-verification.policy';
import { applyFactsPatch, KnownFacts } from '../../../src/agents/tools/known-facts';
import { factory } from './tool-test.factory';

describe('verificationDecision', () => {
  const jane = factory.account();
  const sam = factory.account({ id: 'ACC-002', name: 'Sam Lee', email: 'sam@example.com', postcode: '60614' });
  const janeClaim = { email: 'jane@example.com', postcode: '94107' };

  it('verifies when the email and the billing postcode both match', () => {
    expect(verificationDecision(janeClaim, jane, factory.facts())).toEqual({
      verified: true,
      account: { id: 'ACC-001', name: 'Jane Doe', email: 'jane@example.com' },
    });
  });

  it('answers a wrong postcode and an unknown email with the same error, and counts both', () => {
    const wrongPostcode = verificationDecision({ ...janeClaim, postcode: '10001' }, jane, factory.facts());
    const unknownEmail = verificationDecision({ email: 'nobody@example.com', postcode: '94107' }, null, factory.facts());
    expect(wrongPostcode).toEqual(unknownEmail);
    expect(wrongPostcode).toMatchObject({
      verified: false,
      error: 'verification_failed',
      result: { error: 'verification_failed', attempts_remaining: 2 },
      facts: { verificationFailed: true },
    });
    expect(JSON.stringify(wrongPostcode)).not.toMatch(/jane|ACC-001|94107/i);
  });

  it('never verifies an account without a postcode on file', () => {
    expect(verificationDecision(janeClaim, { ...jane, postcode: null }, factory.facts())).toMatchObject({
      verified: false,
      error: 'verification_failed',
    });
  });

  it(`locks after ${MAX_VERIFICATION_ATTEMPTS} failed attempts, even for the right details`, () => {
    let facts: KnownFacts = factory.facts();
    const remaining: unknown[] = [];
    for (let attempt = 0; attempt < MAX_VERIFICATION_ATTEMPTS; attempt++) {
      const decision = verificationDecision({ ...janeClaim, postcode: `1000${attempt}` }, jane, facts);
      if (decision.verified) throw new Error('a wrong postcode verified');
      remaining.push(decision.result.attempts_remaining);
      facts = applyFactsPatch(facts, decision.facts);
    }
    expect(remaining).toEqual([2, 1, 0]);
    expect(facts.failedVerifications).toBe(MAX_VERIFICATION_ATTEMPTS);
    const locked = verificationDecision(janeClaim, jane, facts);
    expect(locked).toMatchObject({ verified: false, error: 'verification_locked', result: { error: 'verification_locked' } });
    expect(locked).not.toHaveProperty('facts');
  });

  it('refuses another account once one is verified, whether or not its details are right, without counting it', () => {
    const janeVerified = factory.verifiedFacts('ACC-001');
    const right = verificationDecision({ email: 'sam@example.com', postcode: '60614' }, sam, janeVerified);
    const wrong = verificationDecision({ email: 'sam@example.com', postcode: '99999' }, sam, janeVerified);
    expect(right).toEqual(wrong);
    expect(right).toMatchObject({ verified: false, error: 'another_account_verified', result: { verified_account_id: 'ACC-001' } });
    expect(right).not.toHaveProperty('facts');
  });

  it('re-verifies the account already verified', () => {
    expect(verificationDecision(janeClaim, jane, factory.verifiedFacts('ACC-001'))).toMatchObject({
      verified: true,
      account: { id: 'ACC-001' },
    });
  });
});

describe('applyFactsPatch and verification', () => {
  it('keeps the first verified account when a second verification lands on the same snapshot', () => {
    const janeVerified = factory.verifiedFacts('ACC-001');
    const next = applyFactsPatch(janeVerified, { verifiedAccount: { id: 'ACC-002', name: 'Sam Lee', email: 'sam@example.com' } });
    expect(next.verifiedAccount).toEqual(janeVerified.verifiedAccount);
  });

  it('counts failed attempts one patch at a time', () => {
    const once = applyFactsPatch(factory.facts(), { verificationFailed: true });
    expect(applyFactsPatch(once, { verificationFailed: true }).failedVerifications).toBe(2);
  });
});
