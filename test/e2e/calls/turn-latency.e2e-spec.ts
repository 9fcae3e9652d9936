import request from 'supertest';
import { Client } from 'pg';
import { ReadableSpan } from '@opentelemetry/sdk-trace';
import { exchange, greeted, placeCall, PlacedCall } from '../../support/call-harness';
import { installInMemoryTracing, InMemoryTracing } from '../../support/in-memory-tracing';
import { PROVIDERS_UNDER_TEST } from '../../support/providers-under-test';
import { startTestApp, TEST_SUPERVISOR_TOKEN, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { summarisedCall } from '../summaries/journaled-call';
import { CallDetailView } from '../../../src/summaries/dtos/call.response';

type Turn = CallDetailView['turns'][number];

/** The caller's number as the simulated Twilio sends it: it must never reach a span. */
const CALLER_NUMBER = '+14155550123';
/** How long the test holds the orders table, so lookup_order really waits on Postgres. */
const TOOL_HOLD_MS = 1200;
/** The local provider's thinking time before each reply. */
const REPLY_DELAY_MS = 400;

const asSupervisor = (service: TestApp, path: string) =>
  request(service.baseUrl).get(path).set('Authorization', `Bearer ${TEST_SUPERVISOR_TOKEN}`);

/** Linear interpolation between closest ranks (what Postgres percentile_cont computes), rounded to whole ms. */
function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return Math.round(sorted[below] + (sorted[above] - sorted[below]) * (rank - below));
}

describe.each(PROVIDERS_UNDER_TEST)('turn latency, metrics and call traces ($name)', (provider) => {
  let service: TestApp;
  let tracing: InMemoryTracing;
  const calls: PlacedCall[] = [];
  const testStartedAt = new Date();

  beforeAll(async () => {
    tracing = installInMemoryTracing();
    service = await startTestApp({ LOCAL_PROVIDER_MS_PER_WORD: '30', ...provider.env }, `turn-latency-${provider.name}`);
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((placed) => placed.hangUp()));
  });
  afterAll(async () => {
    await service.close();
    await tracing.uninstall();
  });

  const call = async () => {
    const placed = await placeCall(service, { from: CALLER_NUMBER });
    calls.push(placed);
    return greeted(placed);
  };
  /** The caller speaks and the agent's answer (and any follow-up after tool results) plays out. */
  const finishedCall = async (placed: PlacedCall): Promise<CallDetailView> => {
    await placed.hangUp();
    return summarisedCall(service.baseUrl, placed.callSid, 15_000);
  };

  it("shows each turn's wait, and a slow tool's share of it, in GET /calls/:id", async () => {
    const placed = await call();
    await placed.provider.pace(placed.callSid, REPLY_DELAY_MS);
    const database = new Client({ connectionString: service.isolation.databaseUrl });
    await database.connect();
    try {
      await database.query('BEGIN');
      await database.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const since = placed.mark();
      await placed.say('Where is my order ORD-12345?');
      await placed.waitToService('tool.call', (message) => message.name === 'lookup_order', 15_000);
      await new Promise((resolve) => setTimeout(resolve, TOOL_HOLD_MS));
      await database.query('COMMIT');
      await placed.replyFinishedAfter(since);
      await waitFor(() => placed.fromService('tool.result').length >= 1, { what: 'the lookup result' });
      await waitFor(() => placed.finishedReplies() >= 3, { what: 'the answer after the lookup', timeoutMs: 20_000 });
    } finally {
      await database.end();
    }

    const stored = await finishedCall(placed);

    expect(stored.turns).toHaveLength(1);
    const [turn] = stored.turns;
    expect(turn).toMatchObject({ turn: 1, department: 'triage', provider: expect.any(String), measuredFrom: 'speech-end' });
    const [lookup] = turn.tools;
    expect(lookup).toMatchObject({ name: 'lookup_order', ok: true });
    expect(lookup.durationMs).toBeGreaterThanOrEqual(TOOL_HOLD_MS - 100);
    // The caller heard "let me check" after the provider's thinking time, and the answer after the tool and a second think.
    expect(turn.responseLatencyMs).toBeGreaterThanOrEqual(REPLY_DELAY_MS);
    expect(turn.responseLatencyMs).toBeLessThan(turn.answerLatencyMs! - lookup.durationMs!);
    expect(turn.answerLatencyMs).toBeGreaterThanOrEqual(REPLY_DELAY_MS + lookup.durationMs! + REPLY_DELAY_MS);
    expect(turn.breakdown!.toolsMs).toBeGreaterThanOrEqual(TOOL_HOLD_MS - 100);
    expect(turn.breakdown!.toolsMs).toBeLessThanOrEqual(lookup.durationMs!);
    expect(turn.breakdown!.toolsMs + turn.breakdown!.handoffsMs + turn.breakdown!.otherMs).toBe(turn.answerLatencyMs);
    // The same turn, as stored, is among the call's events.
    expect(stored.events.filter((event) => event.type === 'turn')).toHaveLength(1);
  });

  it('exposes the latency histograms and the tool, handoff and interruption figures on /metrics after a call', async () => {
    const placed = await call();
    await exchange(placed, 'I would like a refund please', 2);
    await finishedCall(placed);

    const metrics = (await request(service.baseUrl).get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/voice_agent_turn_response_latency_seconds_count\{department="\w+",provider="\w+"\} [1-9]/);
    expect(metrics).toMatch(/voice_agent_turn_answer_latency_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/voice_agent_tool_duration_seconds_count\{tool="lookup_order"\} [1-9]/);
    expect(metrics).toMatch(/voice_agent_handoffs_total\{from="triage",to="refund",status="applied"\} [1-9]/);
    expect(metrics).toMatch(/voice_agent_handoff_latency_seconds_count [1-9]/);
    expect(metrics).toMatch(/voice_agent_call_outcomes_total\{outcome="\w+"\} [1-9]/);
    expect(metrics).toContain('# TYPE voice_agent_interruptions_total counter');
    expect(metrics).toContain('# TYPE voice_agent_escalations_total counter');
    expect(metrics).not.toMatch(/CA[0-9a-f]{32}/);
  });

  it("returns /stats percentiles per department, per provider and overall that match the turns' own figures", async () => {
    const placed = await call();
    for (const [index, text] of ['Hello there', 'Can you hear me', 'I would like a refund please', 'Thanks', 'Okay'].entries()) {
      await placed.provider.pace(placed.callSid, 100 + 150 * index);
      await exchange(placed, text, text.includes('refund') ? 2 : 1);
    }
    await finishedCall(placed);

    const stored = await Promise.all(
      (await asSupervisor(service, '/calls').query({ pageSize: 200 }).expect(200)).body.items.map(
        async (item: { callSid: string }) => (await asSupervisor(service, `/calls/${item.callSid}`).expect(200)).body,
      ),
    );
    const turns: Turn[] = stored.flatMap((detail: CallDetailView) => detail.turns);
    const answered = turns.filter((turn) => turn.responseLatencyMs !== null);
    const latencies = (of: Turn[]) => of.map((turn) => turn.responseLatencyMs!);
    expect(new Set(answered.map((turn) => turn.department)).size).toBeGreaterThanOrEqual(2);

    const stats = (
      await asSupervisor(service, '/stats')
        .query({ from: testStartedAt.toISOString(), to: new Date(Date.now() + 60_000).toISOString() })
        .expect(200)
    ).body;

    expect(stats.turnLatency.turns).toBe(answered.length);
    expect(stats.turnLatency.unanswered).toBe(turns.length - answered.length);
    expect(stats.turnLatency.overall).toMatchObject({
      p50Ms: percentile(latencies(answered), 0.5),
      p95Ms: percentile(latencies(answered), 0.95),
    });
    for (const department of new Set(answered.map((turn) => turn.department))) {
      const own = latencies(answered.filter((turn) => turn.department === department));
      expect(stats.turnLatency.byDepartment).toContainEqual({
        department,
        turns: own.length,
        p50Ms: percentile(own, 0.5),
        p95Ms: percentile(own, 0.95),
      });
    }
    const providerName = answered[0].provider;
    expect(stats.turnLatency.byProvider).toEqual([
      {
        provider: providerName,
        turns: answered.length,
        p50Ms: percentile(latencies(answered), 0.5),
        p95Ms: percentile(latencies(answered), 0.95),
      },
    ]);
    expect(stats.turnLatency.over2s).toBe(answered.filter((turn) => turn.responseLatencyMs! > 2000).length);
  });

  it('sends one trace per call: turn spans with their tool and handoff spans, and the post-call job, with no caller data in any attribute', async () => {
    tracing.reset();
    const placed = await call();
    await exchange(placed, 'Where is my order ORD-12345?', 2);
    await exchange(placed, 'I would like a refund please', 2);
    const stored = await finishedCall(placed);
    const callSpans = await waitFor(
      () => {
        const mine = tracing.spans().filter((span) => span.attributes['call.sid'] === placed.callSid);
        return mine.some((span) => span.name === 'post-call.summary') ? mine : undefined;
      },
      { what: 'the post-call span' },
    );

    const traceIds = new Set(
      tracing
        .spans()
        .filter((span) => spanOfTrace(span, callSpans))
        .map((span) => span.spanContext().traceId),
    );
    expect(traceIds.size).toBe(1);
    const spans = tracing.spans().filter((span) => traceIds.has(span.spanContext().traceId));
    const named = (name: string) => spans.filter((span) => span.name === name);
    const [root] = named('call');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toMatchObject({
      'call.sid': placed.callSid,
      'call.outcome': expect.any(String),
      'call.end_reason': 'twilio-stop',
    });
    const turnSpans = named('caller.turn');
    expect(turnSpans.length).toBe(stored.turns.length);
    expect(turnSpans.every((span) => span.parentSpanContext?.spanId === root.spanContext().spanId)).toBe(true);
    const turnSpanIds = new Set(turnSpans.map((span) => span.spanContext().spanId));
    const lookups = named('tool.call').filter((span) => span.attributes['tool.name'] === 'lookup_order');
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups.every((span) => turnSpanIds.has(span.parentSpanContext!.spanId))).toBe(true);
    const handoff = named('handoff').find((span) => span.attributes['handoff.to'] === 'refund');
    expect(handoff?.attributes).toMatchObject({ 'handoff.from': 'triage', 'handoff.status': 'applied' });
    expect(turnSpanIds.has(handoff!.parentSpanContext!.spanId)).toBe(true);
    expect(named('post-call.summary')[0].parentSpanContext?.spanId).toBe(root.spanContext().spanId);

    const spoken = stored.events.flatMap((event) =>
      (event.type === 'caller.said' || event.type === 'agent.said') && typeof event.text === 'string' && event.text.length > 12
        ? [event.text]
        : [],
    );
    expect(spoken.length).toBeGreaterThan(0);
    const values = spans.flatMap((span) => Object.values(span.attributes).map(String));
    const digitsOfCaller = CALLER_NUMBER.replace(/\D/g, '');
    for (const value of values) {
      expect(value.replace(/\D/g, '')).not.toContain(digitsOfCaller.slice(-7));
      expect(value).not.toMatch(/@/);
      for (const words of spoken) expect(value).not.toContain(words);
    }
  });
});

function spanOfTrace(span: ReadableSpan, callSpans: ReadableSpan[]): boolean {
  return callSpans.some((own) => own.spanContext().traceId === span.spanContext().traceId);
}
