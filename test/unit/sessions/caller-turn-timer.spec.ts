import { breakdownOf, CallerTurnTimer, coveredMs } from '../../../src/sessions/caller-turn-timer';

const WALL = new Date('2026-11-30T10:00:00.000Z');

describe('CallerTurnTimer', () => {
  it('measures the wait from the end of speech to the first agent audio, once per reply', () => {
    const timer = new CallerTurnTimer('openai');
    timer.callerStopped(1000, WALL, 'triage');
    timer.replyStarted(1400);
    expect(timer.awaitingAudio).toBe(true);
    timer.agentAudio(1650, 'triage');
    expect(timer.awaitingAudio).toBe(false);

    const turn = timer.callerStarted('triage');

    expect(turn).toEqual({
      turn: 1,
      department: 'triage',
      provider: 'openai',
      callerStoppedAt: WALL.toISOString(),
      measuredFrom: 'speech-end',
      responseLatencyMs: 650,
      answerLatencyMs: 650,
      breakdown: { toolsMs: 0, handoffsMs: 0, otherMs: 650 },
      tools: [],
      handoffs: [],
    });
  });

  it('keeps "let me check" apart from the answer that used the tool result (tool announced before the audio)', () => {
    const timer = new CallerTurnTimer('assemblyai');
    timer.callerStopped(0, WALL, 'billing');
    timer.replyStarted(300);
    expect(timer.toolStarted(310, 'call_1', 'lookup_order')).toBe(true);
    timer.agentAudio(350, 'billing');
    timer.toolFinished(1510, 'call_1', true);
    timer.replyStarted(1900);
    timer.agentAudio(2100, 'billing');

    const turn = timer.callEnded('billing')!;

    expect(turn.responseLatencyMs).toBe(350);
    expect(turn.answerLatencyMs).toBe(2100);
    expect(turn.tools).toEqual([{ toolCallId: 'call_1', name: 'lookup_order', startMs: 310, durationMs: 1200, ok: true }]);
    expect(turn.breakdown).toEqual({ toolsMs: 1200, handoffsMs: 0, otherMs: 900 });
  });

  it('finds the answer when the provider announces the tool call after the audio of the reply that made it (OpenAI)', () => {
    const timer = new CallerTurnTimer('openai');
    timer.callerStopped(0, WALL, 'billing');
    timer.replyStarted(200);
    timer.agentAudio(260, 'billing');
    timer.toolStarted(900, 'call_1', 'check_billing');
    timer.toolFinished(1000, 'call_1', false);
    timer.replyStarted(1100);
    timer.agentAudio(1300, 'billing');

    const turn = timer.callerStarted('billing')!;

    expect(turn.responseLatencyMs).toBe(260);
    expect(turn.answerLatencyMs).toBe(1300);
    expect(turn.tools[0]).toMatchObject({ ok: false, durationMs: 100, startMs: 900 });
  });

  it('has no answer while a tool is still running when the turn closes', () => {
    const timer = new CallerTurnTimer('local');
    timer.callerStopped(0, WALL, 'refund');
    timer.replyStarted(100);
    timer.toolStarted(110, 'call_1', 'process_refund');
    timer.agentAudio(150, 'refund');

    const turn = timer.callerStarted('refund')!;

    expect(turn.responseLatencyMs).toBe(150);
    expect(turn.answerLatencyMs).toBeNull();
    expect(turn.breakdown).toBeUndefined();
    expect(turn.tools[0]).toMatchObject({ durationMs: null, ok: null });
  });

  it('credits a handoff turn to the department that answered, with the handoff in the breakdown', () => {
    const timer = new CallerTurnTimer('local');
    timer.callerStopped(0, WALL, 'triage');
    timer.replyStarted(200);
    timer.handoffRequested(210, 'call_t', 'triage', 'billing');
    timer.agentAudio(250, 'triage');
    expect(timer.handoffSettled(1250, 'call_t', 'applied', 1040)).toBe(true);
    timer.replyStarted(1300);
    timer.agentAudio(1500, 'billing');

    const turn = timer.callEnded('billing')!;

    expect(turn.department).toBe('billing');
    expect(turn.handoffs).toEqual([{ from: 'triage', to: 'billing', status: 'applied', startMs: 210, latencyMs: 1040 }]);
    expect(turn.breakdown).toEqual({ toolsMs: 0, handoffsMs: 1040, otherMs: 460 });
  });

  it('records a turn the caller waited on and hung up as unanswered, under the department they were with', () => {
    const timer = new CallerTurnTimer('local');
    timer.callerStopped(0, WALL, 'faq');
    timer.toolStarted(50, 'call_1', 'search_faq');

    const turn = timer.callEnded('faq')!;

    expect(turn).toMatchObject({ department: 'faq', responseLatencyMs: null, answerLatencyMs: null });
  });

  it('drops a pause: the caller went on speaking before anything happened', () => {
    const timer = new CallerTurnTimer('openai');
    timer.callerStopped(0, WALL, 'triage');
    expect(timer.callerStarted('triage')).toBeUndefined();
    timer.callerStopped(900, WALL, 'triage');
    // A provider that announces no reply: its first audio still answers.
    expect(timer.awaitingAudio).toBe(true);
    timer.agentAudio(1200, 'triage');
    expect(timer.awaitingAudio).toBe(false);

    expect(timer.callEnded('triage')).toMatchObject({ turn: 1, responseLatencyMs: 300 });
  });

  it('starts turns from transcripts only for a provider that sends no end-of-speech event', () => {
    const timer = new CallerTurnTimer('other');
    timer.callerTranscript(0, WALL, 'triage', false);
    timer.agentAudio(700, 'triage');
    // Words arriving while the answer plays belong to the turn already answered.
    expect(timer.callerTranscript(800, WALL, 'triage', true)).toBeUndefined();
    const first = timer.callerTranscript(3000, WALL, 'triage', false);

    expect(first).toMatchObject({ turn: 1, measuredFrom: 'transcript', responseLatencyMs: 700 });
    expect(timer.turnOpen).toBe(true);
  });

  it('re-times a transcript-started turn when the end-of-speech event follows, and then ignores transcripts', () => {
    const timer = new CallerTurnTimer('assemblyai');
    timer.callerTranscript(0, WALL, 'triage', false);
    expect(timer.callerStopped(40, WALL, 'triage')).toBeUndefined();
    timer.agentAudio(540, 'triage');
    expect(timer.callerTranscript(2000, WALL, 'triage', false)).toBeUndefined();

    expect(timer.callerStarted('triage')).toMatchObject({ measuredFrom: 'speech-end', responseLatencyMs: 500 });
  });

  it('reports tools outside any turn (before the caller first spoke) as not in a turn', () => {
    const timer = new CallerTurnTimer('local');
    expect(timer.toolStarted(0, 'call_1', 'lookup_order')).toBe(false);
    expect(timer.handoffRequested(0, 'call_2', 'triage', 'faq')).toBe(false);
    expect(timer.handoffSettled(10, 'call_2', 'refused', null)).toBe(false);
  });

  it('numbers the turns it records', () => {
    const timer = new CallerTurnTimer('local');
    const numbers: number[] = [];
    for (let index = 0; index < 3; index++) {
      timer.callerStopped(index * 1000, WALL, 'triage');
      timer.agentAudio(index * 1000 + 100, 'triage');
      numbers.push(timer.callerStarted('triage')!.turn);
    }
    expect(numbers).toEqual([1, 2, 3]);
  });
});

describe('coveredMs and breakdownOf', () => {
  it('counts overlapping tools once and clips them to the wait', () => {
    expect(
      coveredMs(
        [
          { from: 100, to: 400 },
          { from: 300, to: 600 },
          { from: 900, to: 2000 },
        ],
        { from: 0, to: 1000 },
      ),
    ).toBe(600);
  });

  it('gives time covered by both a tool and a handoff to the tool, so the parts add up to the wait', () => {
    const breakdown = breakdownOf(
      {
        stoppedAt: 0,
        tools: [{ toolCallId: 'a', name: 'lookup_order', startedAt: 100, endedAt: 500 }],
        handoffs: [{ toolCallId: 'b', from: 'triage', to: 'billing', startedAt: 300, endedAt: 800 }],
      },
      1000,
    );
    expect(breakdown).toEqual({ toolsMs: 400, handoffsMs: 300, otherMs: 300 });
    expect(breakdown.toolsMs + breakdown.handoffsMs + breakdown.otherMs).toBe(1000);
  });
});
