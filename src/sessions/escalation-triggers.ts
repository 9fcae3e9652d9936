import { EscalationRuleAction, EscalationRules, escalationPhraseWords } from '../agents/escalation-rules';
import { EscalationTrigger } from '../call-journal/call-event.types';
import { HandoffRefusalCode } from '../handoff/handoff-policy';

/** What the call has shown so far that the rules count. */
export interface EscalationWatch {
  frustrationHeard: number;
  failedToolsInARow: number;
  /** When the call last made progress (start, a tool that worked, a handoff applied), on the session's clock. */
  lastProgressAtMs: number;
}

export type EscalationDecision = {
  trigger: EscalationTrigger;
  action: Exclude<EscalationRuleAction, 'off'>;
  /** What set it off, for people: the phrase heard, the count reached. */
  detail: string;
};

export interface Judged {
  watch: EscalationWatch;
  decision?: EscalationDecision;
}

export function startWatching(nowMs: number): EscalationWatch {
  return { frustrationHeard: 0, failedToolsInARow: 0, lastProgressAtMs: nowMs };
}

/** How phrases and transcripts are compared: the words the admin API validates phrases by. */
export const wordsOf = escalationPhraseWords;

/** The first phrase whose words appear together, in order, in the words given (whole words only). */
export function phraseHeard(words: readonly string[], phrases: readonly string[]): string | undefined {
  for (const phrase of phrases) {
    const wanted = wordsOf(phrase);
    if (wanted.length === 0 || wanted.length > words.length) continue;
    for (let start = 0; start + wanted.length <= words.length; start++) {
      if (wanted.every((word, offset) => words[start + offset] === word)) return phrase;
    }
  }
  return undefined;
}

/**
 * The caller finished an utterance. Red flags first (they must reach a person), then a request for
 * a person, then frustration (counted; acted on once heard often enough), then time without progress.
 */
export function judgeCallerWords(rules: EscalationRules, watch: EscalationWatch, text: string, nowMs: number): Judged {
  const words = wordsOf(text);
  const redFlag = phraseHeard(words, rules.redFlags.phrases);
  if (redFlag && rules.redFlags.action !== 'off') return decided(watch, 'red-flag', rules.redFlags.action, `"${redFlag}"`);
  const request = phraseHeard(words, rules.humanRequest.phrases);
  if (request && rules.humanRequest.action !== 'off') return decided(watch, 'human-request', rules.humanRequest.action, `"${request}"`);
  const frustrated = phraseHeard(words, rules.frustration.phrases);
  if (frustrated) {
    const heard = watch.frustrationHeard + 1;
    if (heard >= rules.frustration.times && rules.frustration.action !== 'off') {
      return decided({ ...watch, frustrationHeard: 0 }, 'frustration', rules.frustration.action, `"${frustrated}", ${heard} times`);
    }
    watch = { ...watch, frustrationHeard: heard };
  }
  const stuckMs = nowMs - watch.lastProgressAtMs;
  if (rules.noProgress.action !== 'off' && stuckMs >= rules.noProgress.minutes * 60_000) {
    return decided(
      { ...watch, lastProgressAtMs: nowMs },
      'no-progress',
      rules.noProgress.action,
      `${Math.floor(stuckMs / 60_000)} minutes without progress`,
    );
  }
  return { watch };
}

/** A tool call settled: a failure extends the streak, a success is progress. */
export function judgeToolOutcome(rules: EscalationRules, watch: EscalationWatch, ok: boolean, nowMs: number): Judged {
  if (ok) return { watch: { ...watch, failedToolsInARow: 0, lastProgressAtMs: nowMs } };
  const inARow = watch.failedToolsInARow + 1;
  if (inARow >= rules.failedTools.inARow && rules.failedTools.action !== 'off') {
    return decided({ ...watch, failedToolsInARow: 0 }, 'failed-tools', rules.failedTools.action, `${inARow} failed tool calls in a row`);
  }
  return { watch: { ...watch, failedToolsInARow: inARow } };
}

/** Handoff refusal codes that mean the agent is stuck (the others are the model's slips, answered to the model). */
export const STUCK_HANDOFF_REFUSALS: ReadonlySet<string> = new Set([HandoffRefusalCode.TooManyHandoffs, HandoffRefusalCode.PingPong]);

/** The model's handoff was refused: the limit or a ping-pong means the agent cannot get the caller where they need to be. */
export function judgeHandoffRefusal(rules: EscalationRules, watch: EscalationWatch, code: string): Judged {
  if (!STUCK_HANDOFF_REFUSALS.has(code) || rules.handoffRefused.action === 'off') return { watch };
  return decided(watch, 'handoff-refused', rules.handoffRefused.action, `handoff refused: ${code}`);
}

/** A handoff was applied: the caller moved on, which is progress. */
export function progressed(watch: EscalationWatch, nowMs: number): EscalationWatch {
  return { ...watch, failedToolsInARow: 0, lastProgressAtMs: nowMs };
}

function decided(watch: EscalationWatch, trigger: EscalationTrigger, action: Exclude<EscalationRuleAction, 'off'>, detail: string): Judged {
  return { watch, decision: { trigger, action, detail } };
}
