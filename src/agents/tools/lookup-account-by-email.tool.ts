import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccountEntity } from '../../persistence/entities/account.entity';
import { verificationDecision } from './account-verification.policy';
import { normalizeEmail, normalizePostcode } from './spoken-reference.normalizer';
import { toolError, ToolArguments } from './tool-arguments';
import { BackendTool, ToolContext, ToolOutcome } from './tool.types';

const MAX_ARGUMENT_LENGTH = 200;

/** Verifies the caller's account for the rest of the call: email and billing postcode must both match. */
@Injectable()
export class LookupAccountByEmailTool implements BackendTool {
  readonly name = 'lookup_account_by_email';
  readonly kind = 'lookup';
  readonly description =
    "Verify the caller's account with two details the caller gives: the email address on the account and its billing postcode (ZIP code). Ask the caller for both first; never guess either. When both match, the account is verified for the rest of this call and its account_id can be used with account tools. " +
    'Errors: verification_failed (the details do not match; the answer never says which, ask the caller to check both), verification_locked (too many failed attempts in this call; offer a human), another_account_verified (the call is already verified for another account; it cannot switch).';
  readonly parameters = {
    type: 'object',
    properties: {
      email: { type: 'string', description: "The email address the caller gave, e.g. 'jane@example.com'." },
      postcode: { type: 'string', description: "The billing postcode or ZIP code the caller gave, e.g. '94107'." },
    },
    required: ['email', 'postcode'],
  };

  constructor(@InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>) {}

  async execute(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const rawEmail = input.requiredString('email', { maxLength: MAX_ARGUMENT_LENGTH });
    const rawPostcode = input.requiredString('postcode', { maxLength: MAX_ARGUMENT_LENGTH });
    if (input.problem) return { result: input.problem };

    const email = normalizeEmail(rawEmail);
    if (!email) return { result: toolError('invalid_arguments', 'email must be an email address such as name@example.com') };
    const postcode = normalizePostcode(rawPostcode);
    if (!postcode) return { result: toolError('invalid_arguments', "postcode must be a postcode or ZIP code such as '94107'") };

    const account = await this.accounts.findOneBy({ email });
    const decision = verificationDecision({ email, postcode }, account, context.facts);
    if (!decision.verified) return { result: decision.result, facts: decision.facts };
    const verified = decision.account;
    return {
      result: { account_id: verified.id, name: verified.name, email: verified.email, verified: true },
      facts: { verifiedAccount: verified },
    };
  }
}
