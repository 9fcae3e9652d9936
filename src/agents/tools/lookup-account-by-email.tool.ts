import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccountEntity } from '../../persistence/entities/account.entity';
import { normalizeEmail } from './spoken-reference.normalizer';
import { toolError, ToolArguments } from './tool-arguments';
import { BackendTool, ToolOutcome } from './tool.types';

/** Finding the account by the caller's email is what verifies it for the rest of the call. */
@Injectable()
export class LookupAccountByEmailTool implements BackendTool {
  readonly name = 'lookup_account_by_email';
  readonly description =
    "Find and verify the caller's account by the email address on it. When found, the account is verified for the rest of this call and its account_id can be used with account tools. Ask the caller for their email first; never guess it.";
  readonly parameters = {
    type: 'object',
    properties: {
      email: { type: 'string', description: "The email address the caller gave, e.g. 'jane@example.com'." },
    },
    required: ['email'],
  };

  constructor(@InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>) {}

  async execute(args: Record<string, unknown>): Promise<ToolOutcome> {
    const input = new ToolArguments(args);
    const rawEmail = input.requiredString('email');
    if (input.problem) return { result: input.problem };

    const email = normalizeEmail(rawEmail);
    if (!email) return { result: toolError('invalid_arguments', 'email must be an email address such as name@example.com') };
    const account = await this.accounts.findOneBy({ email });
    if (!account) {
      return { result: toolError('account_not_found', `No account uses ${email}. Ask the caller to check the spelling or give another email.`, { email }) };
    }
    return {
      result: { account_id: account.id, name: account.name, email: account.email, verified: true },
      facts: { verifiedAccount: { id: account.id, name: account.name, email: account.email } },
    };
  }
}
