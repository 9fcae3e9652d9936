import { accountAccessDecision } from '../../../src/agents/tools/account-access.policy';
import { factory } from './tool-test.factory';

describe('accountAccessDecision', () => {
  it('refuses when no account is verified in the call', () => {
    expect(accountAccessDecision('ACC-001', factory.facts())).toMatchObject({ allowed: false, result: { error: 'account_not_verified' } });
  });

  it('refuses another account than the verified one', () => {
    expect(accountAccessDecision('ACC-002', factory.verifiedFacts('ACC-001'))).toMatchObject({
      allowed: false,
      result: { error: 'account_not_verified', account_id: 'ACC-002' },
    });
  });

  it.each(['ACC-001', 'acc 001', 'account number 1', ' acc-001 '])('allows the verified account written as %p', (requested) => {
    expect(accountAccessDecision(requested, factory.verifiedFacts('ACC-001'))).toEqual({ allowed: true, accountId: 'ACC-001' });
  });

  it('refuses an id that is not an account id at all', () => {
    expect(accountAccessDecision('jane@example.com', factory.verifiedFacts('ACC-001'))).toMatchObject({ allowed: false });
  });
});
