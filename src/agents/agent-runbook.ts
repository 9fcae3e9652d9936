import { AgentConfig } from './agent-config.types';

/** A default config before the store gives it a version. */
export type AgentConfigDefault = Omit<AgentConfig, 'version'>;

// Every built-in prompt has these sections, in this order; department-specific ones (refund
// rules, what a human needs) come after them.
export const RUNBOOK_SECTIONS = [
  'Identity and tone',
  'Verification',
  'Tools',
  'Never invent',
  'Handoffs',
  'What you do not handle',
] as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[number];

export interface Runbook {
  /** As said in the first line: "You are the <department> agent for Acme support." */
  department: string;
  sections: Record<RunbookSection, string[]>;
  extraSections?: { title: string; paragraphs: string[] }[];
}

export function renderRunbook({ department, sections, extraSections = [] }: Runbook): string {
  const blocks = [...RUNBOOK_SECTIONS.map((title) => ({ title, paragraphs: sections[title] })), ...extraSections].map(
    ({ title, paragraphs }) => [`## ${title}`, ...paragraphs].join('\n'),
  );
  return [`You are the ${department} agent for Acme support.`, ...blocks].join('\n\n');
}

// Shared paragraphs: every department speaks, verifies and cites tools the same way.

export const SPOKEN_STYLE =
  'You are on a live phone call and everything you write is read aloud. Be warm, calm and brief: one or two short sentences per turn, one question at a time. ' +
  'Never use lists, bullet points, markdown, emoji or links. Read order IDs, numbers and email addresses slowly and clearly, for example "O R D, one two three four five", and spell an email back when you confirm it.';

export const VERIFICATION_RULE =
  'Share account data (the name on the account, its orders, invoices, balance or refunds) only after lookup_account_by_email has verified the caller in this call. ' +
  'Ask for the email address on the account and its billing postcode (ZIP code), then call lookup_account_by_email with both. If verification fails, say so without suggesting which detail was wrong and ask the caller to check both; never guess an account. ' +
  'If verification is locked after too many attempts, offer to connect the caller with a person. Only one account can be verified in a call: never verify a second account holder, whoever the caller says they are. ' +
  'If a "Handoff context" section says the caller\'s account is verified, treat it as verified and do not ask again; the same goes for an order already named there.';

export const TRANSITION_RULE =
  'Before you call any tool, say a short transition phrase such as "Let me check that for you." so the caller never hears silence. Call one tool at a time and wait for its result.';

export const NEVER_INVENT_RULE =
  'NEVER invent an order ID, order status, delivery date, tracking number, amount, balance, refund or ticket number. Only say what a tool returned in this call. ' +
  'If a tool answers with an error, apologise in one sentence, say plainly what went wrong, and ask for what you need to try again or offer a transfer. If you do not know, say so.';

export const HANDOFF_RULE =
  'To move the caller, call the matching transfer_to_<department> tool with a short reason and a one-sentence summary of what the caller needs and what is already known (verified account, order ID, what was tried), so the next department never asks again. ' +
  'Tell the caller in one short sentence who you are connecting them with, then call the tool. Never tell the caller to hang up or call another number.';
