import { KnownFacts } from './known-facts';
import { normalizeAccountId } from './spoken-reference.normalizer';
import { toolError } from './tool-arguments';
import { ToolResult } from './tool.types';

export type AccountAccess = { allowed: true; accountId: string } | { allowed: false; result: ToolResult };

/** Account data is only for the account verified in this call (by lookup_account_by_email). */
export function accountAccessDecision(requestedAccountId: string, facts: Readonly<KnownFacts>): AccountAccess {
  const verified = facts.verifiedAccount;
  if (!verified) {
    return {
      allowed: false,
      result: toolError(
        'account_not_verified',
        'No account is verified in this call yet. Ask the caller for the email and billing postcode on the account and call lookup_account_by_email first.',
      ),
    };
  }
  const requested = normalizeAccountId(requestedAccountId) ?? requestedAccountId.trim().toUpperCase();
  if (requested !== verified.id) {
    return {
      allowed: false,
      result: toolError(
        'account_not_verified',
        `Account ${requested} is not the account verified in this call; only the verified account's data can be shared.`,
        {
          account_id: requested,
        },
      ),
    };
  }
  return { allowed: true, accountId: verified.id };
}
