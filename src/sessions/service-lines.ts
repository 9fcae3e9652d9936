import { EscalationTrigger, WarmTransferStatus } from '../call-journal/call-event.types';

/**
 * What the service itself tells the agent to say, and the reasons it gives, when it acts on a call
 * (a polite end, a silent caller, an escalation rule, a supervisor, a transfer that did not go
 * through): one place to read and word them. Handed to the provider as reply.create instructions
 * or put in the prompt; the local provider's brain recognises their key words.
 */

/** What the agent is asked to say before each polite end. */
export const CLOSING_LINES = {
  'supervisor-ended':
    'A supervisor is ending this call now. In one short sentence, thank the caller and say goodbye. Do not ask anything and do not call any tool.',
  'caller-silent':
    'The caller has not answered. In one short sentence, say you will end the call since you cannot hear them and they are welcome to call back, then say goodbye. Do not call any tool.',
  'max-duration':
    'This call has reached its time limit. In one or two short sentences, apologise, say they can call back or a ticket can follow up, and say goodbye. Do not call any tool.',
} as const;

/** The endings that get a closing line first. */
export type PoliteEnding = keyof typeof CLOSING_LINES;

export const STILL_THERE_PROMPT =
  'The caller has been silent for a while. Ask them briefly whether they are still there. Do not call any tool.';

export const SUPERVISOR_TAKEOVER_REASON = 'supervisor takeover';

const TRIGGER_DESCRIPTIONS: Record<EscalationTrigger, string> = {
  'human-request': 'the caller asked for a person',
  frustration: 'the caller is frustrated',
  'red-flag': 'the caller said something that must reach a person',
  'failed-tools': 'several tool calls failed in a row',
  'handoff-refused': 'the call could not be handed to another department',
  'no-progress': 'the call has made no progress for a long time',
};

const DIAL_RESULT_WORDS: Record<WarmTransferStatus, string> = {
  answered: 'answered',
  'no-answer': 'nobody answered',
  busy: 'the line was busy',
  failed: 'the call could not be placed',
  canceled: 'the caller hung up',
  timeout: 'no result came',
};

/** The reason an escalation rule gives (the handoff log, the handoff prompt, the person's whisper). */
export function escalationRuleReason(trigger: EscalationTrigger, detail: string): string {
  return `escalation rule: ${TRIGGER_DESCRIPTIONS[trigger]} (${detail})`;
}

export function escalationOpening(trigger: EscalationTrigger, departmentName: string): string {
  return `The caller was handed to you because ${TRIGGER_DESCRIPTIONS[trigger]}. Greet them briefly as the ${departmentName} agent, acknowledge it in a few words, and help them reach a person.`;
}

export function supervisorHandoffOpening(departmentName: string): string {
  return `A supervisor has moved the caller to you. Greet them briefly as the ${departmentName} agent and continue with what they need.`;
}

/** Twilio could not place the transfer at all: the caller is still with an agent who must say so. */
export const TRANSFER_NOT_PLACED =
  'The transfer to a person could not be placed right now. Apologise briefly, offer to open a ticket so the team calls back, and keep helping.';

export function dialResultWords(status: WarmTransferStatus): string {
  return DIAL_RESULT_WORDS[status];
}

/** In the prompt for the rest of the call, once a warm transfer nobody took has brought the caller back. */
export function transferFailedNotice(status: WarmTransferStatus): string {
  return `A transfer to a person was just tried and did not go through (${DIAL_RESULT_WORDS[status]}). Nobody can take the call right now: apologise briefly, offer to open a ticket so the team calls back, or to arrange a callback, and keep helping.`;
}

export const BACK_FROM_TRANSFER =
  'The caller is back with you: the transfer to a person did not go through. Apologise in one sentence, then offer to open a ticket so the team calls back, or a callback.';
