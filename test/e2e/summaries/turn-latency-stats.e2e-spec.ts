import { DataSource } from 'typeorm';
import { CallEvent, CallerTurn } from '../../../src/call-journal/call-event.types';
import { CallJournalService } from '../../../src/call-journal/call-journal.service';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { callFactory, CallScript } from '../../unit/summaries/call.factory';
import { asSupervisor, playCall, summarisedCall } from './journaled-call';

/** One caller turn to play: the department that answered and its response latency (null: no answer). */
type PlannedTurn = [department: string, latencyMs: number | null];

interface PlannedCall {
  startMinute: number;
  provider: string;
  turns: PlannedTurn[];
  /** Turn events that do not fit the vocabulary, recorded after the first turn: never listed, never counted. */
  malformed?: Record<string, unknown>[];
}

interface MadeCall {
  plan: PlannedCall;
  callSid: string;
  script: CallScript;
  malformed: Set<CallEvent>;
}

/** percentile_cont as its documentation defines it, written here so the test does not check the service against itself. */
function continuousPercentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const below = sorted[Math.floor(position)];
  const above = sorted[Math.ceil(position)];
  return Math.round(below + (above - below) * (position - Math.floor(position)));
}

function percentiles(values: number[]) {
  return { turns: values.length, p50Ms: continuousPercentile(values, 0.5), p95Ms: continuousPercentile(values, 0.95) };
}

/** What GET /stats should say about the planned calls started in [fromMinute, toMinute). */
function expectedTurnLatency(plans: PlannedCall[], fromMinute: number, toMinute: number) {
  const turns = plans
    .filter((plan) => plan.startMinute >= fromMinute && plan.startMinute < toMinute)
    .flatMap((plan) => plan.turns.map(([department, latencyMs]) => ({ department, provider: plan.provider, latencyMs })));
  const answered = turns.filter((turn): turn is typeof turn & { latencyMs: number } => turn.latencyMs !== null);
  const groupsBy = <Key extends 'department' | 'provider'>(key: Key) =>
    [...new Set(answered.map((turn) => turn[key]))].sort().map((name) => ({
      ...({ [key]: name } as Record<Key, string>),
      ...percentiles(answered.filter((turn) => turn[key] === name).map((turn) => turn.latencyMs)),
    }));
  return {
    turns: answered.length,
    unanswered: turns.length - answered.length,
    overall: percentiles(answered.map((turn) => turn.latencyMs)),
    byDepartment: groupsBy('department'),
    byProvider: groupsBy('provider'),
    over2s: answered.filter((turn) => turn.latencyMs > 2000).length,
    over3s: answered.filter((turn) => turn.latencyMs > 3000).length,
  };
}

const PLANS: PlannedCall[] = [
  {
    startMinute: 0,
    provider: 'assemblyai',
    turns: [
      ['triage', 850],
      ['triage', 1200],
      ['billing', 2400],
      ['billing', null],
    ],
  },
  {
    startMinute: 10,
    provider: 'openai',
    turns: [
      ['triage', 640],
      ['billing', 3100],
      ['billing', 1900],
      ['billing', 2050],
    ],
    malformed: [
      { responseLatencyMs: 'fast' },
      { department: undefined, responseLatencyMs: 60_000 },
      { tools: undefined, responseLatencyMs: 45_000 },
      { responseLatencyMs: -20 },
    ],
  },
  {
    startMinute: 25,
    provider: 'openai',
    turns: [
      ['triage', 980],
      ['triage', 3450],
      ['billing', 1500],
    ],
  },
  {
    startMinute: 59,
    provider: 'assemblyai',
    turns: [
      ['triage', 2999],
      ['triage', 300],
    ],
  },
  // Outside [0, 60): started at its end (exclusive), and just before its start.
  { startMinute: 60, provider: 'openai', turns: [['triage', 99_000]] },
  { startMinute: -1, provider: 'assemblyai', turns: [['billing', 50_000]] },
];

describe('caller-turn latency: GET /stats percentiles and GET /calls/:id turns', () => {
  let service: TestApp;
  const rangeStart = new Date('2024-07-01T09:00:00.000Z');
  const at = (minutes: number) => new Date(rangeStart.getTime() + minutes * 60_000);
  const stats = async (fromMinute: number, toMinute: number) =>
    (await asSupervisor(service.baseUrl, `/stats?from=${at(fromMinute).toISOString()}&to=${at(toMinute).toISOString()}`).expect(200)).body;
  const made: MadeCall[] = [];

  /** The call as a session records it: a handoff before the turn that moved the caller, whose turn lists it with a tool. */
  function scriptOf(plan: PlannedCall): { script: CallScript; malformed: Set<CallEvent> } {
    const script = new CallScript(at(plan.startMinute), 2).started('triage');
    const malformed = new Set<CallEvent>();
    let department = 'triage';
    plan.turns.forEach(([answeredBy, latencyMs], index) => {
      script.callerSays(`Question ${index + 1}`);
      const extra: Partial<CallerTurn> = {};
      if (answeredBy !== department) {
        script.handoff(department, answeredBy, 'caller asked');
        extra.handoffs = [{ from: department, to: answeredBy, status: 'applied', startMs: 300, latencyMs: 45 }];
        extra.tools = [{ toolCallId: `tc-turn-${index}`, name: 'lookup_invoice', startMs: 120, durationMs: 160, ok: true }];
        extra.breakdown = latencyMs === null ? undefined : { toolsMs: 160, handoffsMs: 45, otherMs: latencyMs - 205 };
        department = answeredBy;
      }
      if (latencyMs !== null) script.agentSays(answeredBy, `Answer ${index + 1}`);
      script.turn(answeredBy, plan.provider, latencyMs, extra);
      if (index === 0)
        for (const fields of plan.malformed ?? []) {
          script.malformedTurn(fields);
          malformed.add(script.events.at(-1)!);
        }
    });
    return { script, malformed };
  }

  function wellFormedTurnsOf({ script, malformed }: MadeCall) {
    return script.events.flatMap((event) => {
      if (event.type !== 'turn' || malformed.has(event)) return [];
      const { type: _type, ...turn } = event;
      return [JSON.parse(JSON.stringify(turn))];
    });
  }

  beforeAll(async () => {
    service = await startTestApp({}, 'turnlatency');
    for (const plan of PLANS) {
      const metadata = callFactory.metadata({ startedAt: at(plan.startMinute).toISOString() });
      const { script, malformed } = scriptOf(plan);
      const departments = [...new Set(['triage', ...plan.turns.map(([department]) => department)])];
      await playCall(service.app, metadata, script, script.ending('hangup', 'resolved', departments));
      made.push({ plan, callSid: metadata.callSid, script, malformed });
    }
    // Through the post-call job, as every finished call is stored.
    await Promise.all(made.map(({ callSid }) => summarisedCall(service.baseUrl, callSid)));
  });
  afterAll(() => service.close());

  it('checks its own percentile against hand-computed values', () => {
    expect(continuousPercentile([100, 200, 300, 400], 0.5)).toBe(250);
    expect(continuousPercentile([850, 1200, 2400], 0.95)).toBe(2280);
    expect(continuousPercentile([1, 2], 0.5)).toBe(2);
  });

  it('gives p50 and p95 per department, per provider and overall over the answered turns of the range', async () => {
    const body = await stats(0, 60);
    const expected = expectedTurnLatency(PLANS, 0, 60);

    expect(body.turnLatency).toEqual(expected);
    // The plan above, counted by hand: the malformed turns and the calls started outside the range are not in these.
    expect(expected).toMatchObject({ turns: 12, unanswered: 1, over2s: 5, over3s: 2 });
    expect(expected.byDepartment.map((row) => [row.department, row.turns])).toEqual([
      ['billing', 5],
      ['triage', 7],
    ]);
    expect(expected.byProvider.map((row) => [row.provider, row.turns])).toEqual([
      ['assemblyai', 5],
      ['openai', 7],
    ]);
    expect(body.calls).toBe(4);
  });

  it('counts only the calls started in a narrower range', async () => {
    const body = await stats(5, 30);
    expect(body.turnLatency).toEqual(expectedTurnLatency(PLANS, 5, 30));
    expect(body.turnLatency.byProvider.map((row: { provider: string }) => row.provider)).toEqual(['openai']);
    expect(body.turnLatency.unanswered).toBe(0);
  });

  it('has null percentiles over a range without turns', async () => {
    expect((await stats(120, 180)).turnLatency).toEqual({
      turns: 0,
      unanswered: 0,
      overall: { turns: 0, p50Ms: null, p95Ms: null },
      byDepartment: [],
      byProvider: [],
      over2s: 0,
      over3s: 0,
    });
  });

  it('lists the turns of a stored call in order, with their tools and handoffs, leaving malformed turn events out', async () => {
    const call = made[1];
    const detail = (await asSupervisor(service.baseUrl, `/calls/${call.callSid}`).expect(200)).body;

    expect(detail.turns).toEqual(wellFormedTurnsOf(call));
    expect(detail.turns.map((turn: CallerTurn) => [turn.turn, turn.department, turn.provider, turn.responseLatencyMs])).toEqual([
      [1, 'triage', 'openai', 640],
      [6, 'billing', 'openai', 3100],
      [7, 'billing', 'openai', 1900],
      [8, 'billing', 'openai', 2050],
    ]);
    expect(detail.turns[1]).toMatchObject({
      handoffs: [{ from: 'triage', to: 'billing', status: 'applied', startMs: 300, latencyMs: 45 }],
      tools: [{ name: 'lookup_invoice', durationMs: 160, ok: true }],
      breakdown: { toolsMs: 160, handoffsMs: 45, otherMs: 2895 },
    });
    // The malformed ones are still among the events, as they were recorded.
    expect(detail.events.filter((event: { type: string }) => event.type === 'turn')).toHaveLength(8);
  });

  it('keeps an unanswered turn, with a null latency, and sums up the latency of the call in its summary', async () => {
    const [first, second] = made;
    const detail = (await asSupervisor(service.baseUrl, `/calls/${first.callSid}`).expect(200)).body;
    expect(detail.turns.map((turn: CallerTurn) => turn.responseLatencyMs)).toEqual([850, 1200, 2400, null]);
    expect(detail.turns[3]).not.toHaveProperty('breakdown');
    expect(detail.summary.responseLatency).toEqual({ turns: 3, unanswered: 1, medianMs: 1200, maxMs: 2400, slowTurns: 1 });

    const summary = (await asSupervisor(service.baseUrl, `/calls/${second.callSid}`).expect(200)).body.summary;
    expect(summary.responseLatency).toEqual({
      turns: 4,
      unanswered: 0,
      medianMs: continuousPercentile([640, 3100, 1900, 2050], 0.5),
      maxMs: 3100,
      slowTurns: 2,
    });
  });

  it('lists the turns of a live call from its journal', async () => {
    const journal = service.app.get(CallJournalService);
    const metadata = callFactory.metadata({ startedAt: new Date().toISOString() });
    const script = new CallScript(new Date(metadata.startedAt))
      .started('triage')
      .callerSays('Hi')
      .turn('triage', 'openai', 720)
      .malformedTurn({ measuredFrom: 'guesswork' })
      .callerSays('Still there?')
      .turn('triage', 'openai', null);
    await journal.begin(metadata);
    for (const event of script.events) journal.record(metadata.callSid, event);

    const detail = await waitFor(
      async () => {
        const response = await asSupervisor(service.baseUrl, `/calls/${metadata.callSid}`).expect(200);
        return response.body.events.length === script.events.length ? response.body : undefined;
      },
      { what: 'the live call with its turns' },
    );
    expect(detail.status).toBe('live');
    expect(detail.turns.map((turn: CallerTurn) => [turn.turn, turn.responseLatencyMs])).toEqual([
      [1, 720],
      [3, null],
    ]);
    await journal.finish(metadata.callSid, script.ending('hangup', 'resolved'));
    await summarisedCall(service.baseUrl, metadata.callSid);
  });

  it('has the partial index on turn events that keeps these reads cheap', async () => {
    const [index] = await service.app
      .get(DataSource)
      .query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'call_events' AND indexname = 'call_events_turns_idx'`);
    expect(index.indexdef).toMatch(/\(call_id\) WHERE \(type = 'turn'::text\)$/);
  });
});
