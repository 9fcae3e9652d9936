import { defaultEscalationRules, EscalationRules } from '../../../src/agents/escalation-rules';
import {
  judgeCallerWords,
  judgeHandoffRefusal,
  judgeToolOutcome,
  phraseHeard,
  progressed,
  startWatching,
  wordsOf,
} from '../../../src/sessions/escalation-triggers';

const rules = (overrides: Partial<EscalationRules> = {}): EscalationRules => ({ ...defaultEscalationRules('billing'), ...overrides });
const MINUTE = 60_000;

describe('matching phrases on what the caller said', () => {
  it('ignores case and punctuation, and apostrophes inside words', () => {
    expect(wordsOf("This ISN'T working!!  Forget-it.")).toEqual(['this', 'isnt', 'working', 'forget', 'it']);
    expect(phraseHeard(wordsOf('Honestly, THIS isn’t working.'), ["this isn't working"])).toBe("this isn't working");
  });

  it('matches whole words only, in order', () => {
    expect(phraseHeard(wordsOf('I am an operatorship trainee'), ['operator'])).toBeUndefined();
    expect(phraseHeard(wordsOf('person real a'), ['real person'])).toBeUndefined();
    expect(phraseHeard(wordsOf('get me a real person please'), ['real person'])).toBe('real person');
  });

  it('skips phrases with no words in them', () => {
    expect(phraseHeard(wordsOf('hello'), ['!!!', ''])).toBeUndefined();
  });
});

describe('judging the caller’s words', () => {
  const now = 10 * MINUTE;

  it('a request for a person hands the caller to escalation by default', () => {
    const judged = judgeCallerWords(rules(), startWatching(now), 'I want to talk to a real person', now);
    expect(judged.decision).toEqual({ trigger: 'human-request', action: 'escalation-handoff', detail: '"real person"' });
  });

  it('a red flag goes to a person at once, and wins over anything else in the same words', () => {
    const judged = judgeCallerWords(rules(), startWatching(now), 'Get me a manager, someone stole my card, this is fraud', now);
    expect(judged.decision).toEqual(expect.objectContaining({ trigger: 'red-flag', action: 'human-transfer' }));
  });

  it('frustration is counted and acted on the second time by default, then counted afresh', () => {
    let watch = startWatching(now);
    const first = judgeCallerWords(rules(), watch, 'ugh, this is not working', now);
    expect(first.decision).toBeUndefined();
    expect(first.watch.frustrationHeard).toBe(1);
    watch = first.watch;
    const second = judgeCallerWords(rules(), watch, 'forget it', now);
    expect(second.decision).toEqual({ trigger: 'frustration', action: 'escalation-handoff', detail: '"forget it", 2 times' });
    expect(second.watch.frustrationHeard).toBe(0);
  });

  it('does nothing for a rule that is off, but still counts frustration', () => {
    const off = rules({
      humanRequest: { phrases: ['real person'], action: 'off' },
      frustration: { phrases: ['forget it'], times: 1, action: 'off' },
    });
    expect(judgeCallerWords(off, startWatching(now), 'a real person please', now).decision).toBeUndefined();
    expect(judgeCallerWords(off, startWatching(now), 'forget it', now)).toEqual({
      watch: expect.objectContaining({ frustrationHeard: 1 }),
    });
  });

  it('escalates when the caller is still talking after minutes without progress', () => {
    const watch = startWatching(0);
    expect(judgeCallerWords(rules(), watch, 'hello?', 5 * MINUTE - 1).decision).toBeUndefined();
    const judged = judgeCallerWords(rules(), watch, 'hello?', 5 * MINUTE);
    expect(judged.decision).toEqual({ trigger: 'no-progress', action: 'escalation-handoff', detail: '5 minutes without progress' });
    expect(judged.watch.lastProgressAtMs).toBe(5 * MINUTE);
    expect(judgeCallerWords(rules(), progressed(watch, 4 * MINUTE), 'hello?', 5 * MINUTE).decision).toBeUndefined();
  });

  it('the escalation department sends every default trigger to a person', () => {
    const judged = judgeCallerWords(defaultEscalationRules('escalation'), startWatching(now), 'a real person now', now);
    expect(judged.decision?.action).toBe('human-transfer');
  });
});

describe('judging the agent’s failures', () => {
  it('three failed tool calls in a row hand off to escalation; a success in between starts the count again', () => {
    let watch = startWatching(0);
    for (const ok of [false, false, true, false, false]) {
      const judged = judgeToolOutcome(rules(), watch, ok, 1000);
      expect(judged.decision).toBeUndefined();
      watch = judged.watch;
    }
    const third = judgeToolOutcome(rules(), watch, false, 2000);
    expect(third.decision).toEqual({ trigger: 'failed-tools', action: 'escalation-handoff', detail: '3 failed tool calls in a row' });
    expect(third.watch.failedToolsInARow).toBe(0);
  });

  it('a tool that works is progress', () => {
    expect(judgeToolOutcome(rules(), startWatching(0), true, 7000).watch.lastProgressAtMs).toBe(7000);
  });

  it('a handoff refused for the limit or a ping-pong means the agent is stuck; other refusals are the model’s slips', () => {
    expect(judgeHandoffRefusal(rules(), startWatching(0), 'TOO_MANY_HANDOFFS').decision).toEqual(
      expect.objectContaining({ trigger: 'handoff-refused', action: 'escalation-handoff' }),
    );
    expect(judgeHandoffRefusal(rules(), startWatching(0), 'PING_PONG').decision?.trigger).toBe('handoff-refused');
    expect(judgeHandoffRefusal(rules(), startWatching(0), 'NOT_A_HANDOFF_TARGET').decision).toBeUndefined();
    expect(judgeHandoffRefusal(rules({ handoffRefused: { action: 'off' } }), startWatching(0), 'PING_PONG').decision).toBeUndefined();
  });
});
