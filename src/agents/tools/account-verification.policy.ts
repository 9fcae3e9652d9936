import { FactsPatch, KnownFacts } from './known-facts';
import { toolError } from './tool-arguments';
import { ToolResult } from './tool.types';

export const MAX_VERIFICATION_ATTEMPTS = 3;

/** What the caller said, already normalised (lowercase email, compact uppercase postcode). */
export interface VerificationClaim {
  email: string;
  postcode: string;
}

export interface VerifiableAccount {
  id: string;
  name: string;
  email: string;
  postcode: string | null;
}

export type VerificationRefusal = 'verification_failed' | 'verification_locked' | 'another_account_verified';

export type VerificationDecision =
  | { verified: true; account: { id: string; name: string; email: string } }
  | { verified: false; error: VerificationRefusal; result: ToolResult; facts?: FactsPatch };

/**
 * Whether the caller proves they hold an account: its email and its billing postcode.
 * `account` is the account that uses the claimed email, or null. An unknown email and a wrong
 * postcode answer the same, so a caller cannot learn which emails have accounts; only those
 * two count towards the lock. The first account verified in a call is the only one it gets.
 */
export function verificationDecision(
  claim: VerificationClaim,
  account: VerifiableAccount | null,
  facts: Readonly<KnownFacts>,
): VerificationDecision {
  const failed = facts.failedVerifications ?? 0;
  if (failed >= MAX_VERIFICATION_ATTEMPTS) {
    return refuse(
      'verification_locked',
      `Account verification is locked for this call after ${MAX_VERIFICATION_ATTEMPTS} failed attempts. Do not ask for more details; offer to connect the caller with a member of our team.`,
    );
  }
  const verified = facts.verifiedAccount;
  // Decided before comparing anything, so the answer says nothing about the other account's details.
  if (verified && verified.email !== claim.email) {
    return refuse(
      'another_account_verified',
      `This call is already verified for account ${verified.id}; no other account can be verified in the same call. Account data and refunds stay limited to ${verified.id}. Another account's holder must call in themselves.`,
      { verified_account_id: verified.id },
    );
  }
  if (account && account.email === claim.email && account.postcode !== null && account.postcode === claim.postcode) {
    return { verified: true, account: { id: account.id, name: account.name, email: account.email } };
  }
  const attemptsRemaining = Math.max(0, MAX_VERIFICATION_ATTEMPTS - failed - 1);
  const next =
    attemptsRemaining > 0
      ? `Ask the caller to spell the email and repeat the billing postcode; ${attemptsRemaining} attempt${attemptsRemaining === 1 ? '' : 's'} left. Never guess either.`
      : 'No attempts are left in this call: do not try again; offer to connect the caller with a member of our team.';
  return refuse(
    'verification_failed',
    `The email and billing postcode do not match an account. ${next}`,
    { attempts_remaining: attemptsRemaining },
    { verificationFailed: true },
  );
}

function refuse(
  error: VerificationRefusal,
  message: string,
  details: Record<string, unknown> = {},
  facts?: FactsPatch,
): VerificationDecision {
  return { verified: false, error, result: toolError(error, message, details), ...(facts ? { facts } : {}) };
}
