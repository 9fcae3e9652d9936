import { percentileOfSorted, turnsOf } from '../../../src/summaries/caller-turns.rules';
import { CallScript } from './call.factory';

/** Events as GET /calls/:id reads them from Postgres: payload fields beside seq, at and type. */
function storedViews(script: CallScript) {
  return script.events.map((event, index) => ({ ...JSON.parse(JSON.stringify(event)), seq: index + 1 }));
}

describe('turnsOf', () => {
  it('lists the turn events in order with their time, leaving the other events out', () => {
    const script = new CallScript()
      .started('triage')
      .callerSays('Where is my order?')
      .turn('triage', 'openai', 820)
      .agentSays('triage', 'Let me check.')
      .callerSays('ORD-12345')
      .turn('triage', 'openai', 2450, {
        answerLatencyMs: 3900,
        breakdown: { toolsMs: 2100, handoffsMs: 0, otherMs: 1800 },
        tools: [{ toolCallId: 'tc-1', name: 'lookup_order', startMs: 900, durationMs: 2100, ok: true }],
      })
      .callerSays('Hello?')
      .turn('triage', 'openai', null, { answerLatencyMs: null, measuredFrom: 'transcript' });
    const turnEvents = script.events.filter((event) => event.type === 'turn');

    const turns = turnsOf(script.events);

    expect(turns.map((turn) => [turn.turn, turn.responseLatencyMs])).toEqual([
      [1, 820],
      [2, 2450],
      [3, null],
    ]);
    expect(turns.map((turn) => turn.at)).toEqual(turnEvents.map((event) => event.at));
    expect(turns[1]).toEqual({
      at: turnEvents[1].at,
      turn: 2,
      department: 'triage',
      provider: 'openai',
      callerStoppedAt: expect.any(String),
      measuredFrom: 'speech-end',
      responseLatencyMs: 2450,
      answerLatencyMs: 3900,
      breakdown: { toolsMs: 2100, handoffsMs: 0, otherMs: 1800 },
      tools: [{ toolCallId: 'tc-1', name: 'lookup_order', startMs: 900, durationMs: 2100, ok: true }],
      handoffs: [],
    });
    expect(turns[2]).not.toHaveProperty('breakdown');
    expect(turns[2].measuredFrom).toBe('transcript');
  });

  it('reads stored events (fields beside seq, at and type) the same as journaled ones', () => {
    const script = new CallScript().started('triage').turn('triage', 'assemblyai', 640).turn('billing', 'assemblyai', 1310);
    expect(turnsOf(storedViews(script))).toEqual(turnsOf(script.events));
    expect(turnsOf(storedViews(script)).map((turn) => turn.department)).toEqual(['triage', 'billing']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a latency that is not a number', { responseLatencyMs: 'fast' }],
    ['a negative latency', { responseLatencyMs: -5 }],
    ['no response latency at all', { responseLatencyMs: undefined }],
    ['an answer latency that is not a number', { answerLatencyMs: '1s' }],
    ['no department', { department: undefined }],
    ['an empty department', { department: '' }],
    ['a provider that is not a string', { provider: 7 }],
    ['no turn number', { turn: undefined }],
    ['a caller-stopped time that is not a string', { callerStoppedAt: 1_720_000_000 }],
    ['an unknown measuredFrom', { measuredFrom: 'guess' }],
    ['tools that are not a list', { tools: 'lookup_order' }],
    ['no handoffs list', { handoffs: undefined }],
  ])('skips a turn with %s and keeps the others', (_, fields) => {
    const script = new CallScript().started('triage').turn('triage', 'openai', 700).malformedTurn(fields).turn('triage', 'openai', 900);
    expect(turnsOf(storedViews(script)).map((turn) => turn.responseLatencyMs)).toEqual([700, 900]);
    expect(turnsOf(script.events).map((turn) => turn.responseLatencyMs)).toEqual([700, 900]);
  });

  it('keeps a turn whose own fields are sound, dropping the tool, handoff or breakdown that is not', () => {
    const script = new CallScript().malformedTurn({
      breakdown: { toolsMs: 'lots', handoffsMs: 0, otherMs: 500 },
      tools: [
        { toolCallId: 'tc-1', name: 'lookup_order', startMs: 100, durationMs: null, ok: null },
        { toolCallId: 'tc-2', name: 'lookup_order', startMs: 'soon', durationMs: 10, ok: true },
        'lookup_order',
      ],
      handoffs: [
        { from: 'triage', to: 'billing', status: 'applied', startMs: 200, latencyMs: 35 },
        { from: 'triage', to: 'billing', status: 'maybe', startMs: 200, latencyMs: 35 },
        null,
      ],
    });
    const [turn] = turnsOf(script.events);
    expect(turn).not.toHaveProperty('breakdown');
    expect(turn.tools).toEqual([{ toolCallId: 'tc-1', name: 'lookup_order', startMs: 100, durationMs: null, ok: null }]);
    expect(turn.handoffs).toEqual([{ from: 'triage', to: 'billing', status: 'applied', startMs: 200, latencyMs: 35 }]);
  });

  it('is empty for a call without turns', () => {
    expect(turnsOf(new CallScript().started('triage').callerSays('Hello?').events)).toEqual([]);
  });
});

describe('percentileOfSorted (percentile_cont)', () => {
  it('interpolates linearly between the closest ranks', () => {
    expect(percentileOfSorted([100, 200, 300, 400], 0.5)).toBe(250);
    expect(percentileOfSorted([850, 1200, 2400], 0.95)).toBeCloseTo(2280, 9);
    expect(percentileOfSorted([10, 20], 0)).toBe(10);
    expect(percentileOfSorted([10, 20], 1)).toBe(20);
  });

  it('is the value itself for one value and null for none', () => {
    expect(percentileOfSorted([1234], 0.95)).toBe(1234);
    expect(percentileOfSorted([], 0.5)).toBeNull();
  });
});
