import { SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { ReadableSpan } from '@opentelemetry/sdk-trace';
import { CallTracer } from '../../../src/tracing/call-tracer';
import { TraceAttributes } from '../../../src/tracing/trace-attributes';
import { installInMemoryTracing, InMemoryTracing } from '../../support/in-memory-tracing';

const callSid = 'CA0123456789abcdef0123456789abcdef';
const callStart = Date.UTC(2025, 0, 15, 10, 0, 0);

function spanNamed(spans: ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span named ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

const millis = (time: ReadableSpan['startTime']) => hrTimeToMilliseconds(time);

describe('CallTracer with no tracer provider registered', () => {
  const tracer = new CallTracer();

  it('is a no-op: no trace id, no traceparent, children and jobs still run', async () => {
    const call = tracer.startCall({ 'call.sid': callSid }, callStart);
    expect(call.traceId).toBeUndefined();
    expect(call.traceparent).toBeUndefined();

    const turn = call.child('turn', { startTime: callStart + 10, attributes: { 'turn.number': 1 } });
    turn.setAttributes({ 'turn.answered': true });
    turn.fail('timeout');
    turn.end(callStart + 20);
    call.end();

    await expect(
      tracer.inCallTrace(call.traceparent, 'post-call-summary', { 'job.name': 'post-call-summary' }, async () => 42),
    ).resolves.toBe(42);
  });
});

describe('CallTracer with in-memory tracing', () => {
  const tracer = new CallTracer();
  let tracing: InMemoryTracing;

  beforeAll(() => {
    tracing = installInMemoryTracing();
  });
  afterEach(() => tracing.reset());
  afterAll(() => tracing.uninstall());

  it('writes one trace per call: the call span, turn children and their tool children, with explicit times', () => {
    const call = tracer.startCall({ 'call.sid': callSid, 'call.department': 'triage', 'call.provider': 'assemblyai' }, callStart);
    const turn = call.child('turn', {
      startTime: callStart + 1_000,
      attributes: { 'turn.number': 1, 'turn.measured_from': 'speech_stopped' },
    });
    const tool = call.child('tool', {
      startTime: callStart + 1_200,
      attributes: { 'tool.name': 'lookup_order', 'tool.ok': true },
      parent: turn,
    });
    tool.end(callStart + 1_500);
    turn.setAttributes({ 'turn.response_latency_ms': 820 });
    turn.end(callStart + 3_000);
    call.setAttributes({ 'call.end_reason': 'caller_hung_up', 'call.outcome': 'resolved' });
    call.end(callStart + 60_000);

    const spans = tracing.spans();
    expect(spans.map((span) => span.name).sort()).toEqual(['call', 'tool', 'turn']);
    const [callSpan, turnSpan, toolSpan] = ['call', 'turn', 'tool'].map((name) => spanNamed(spans, name));

    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const span of spans) expect(span.spanContext().traceId).toBe(call.traceId);
    expect(call.traceparent).toBe(`00-${call.traceId}-${callSpan.spanContext().spanId}-01`);

    expect(callSpan.parentSpanContext).toBeUndefined();
    expect(turnSpan.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId);
    expect(toolSpan.parentSpanContext?.spanId).toBe(turnSpan.spanContext().spanId);

    expect(callSpan.attributes).toEqual({
      'call.sid': callSid,
      'call.department': 'triage',
      'call.provider': 'assemblyai',
      'call.end_reason': 'caller_hung_up',
      'call.outcome': 'resolved',
    });
    expect(turnSpan.attributes).toEqual({ 'turn.number': 1, 'turn.measured_from': 'speech_stopped', 'turn.response_latency_ms': 820 });
    expect(toolSpan.attributes).toEqual({ 'tool.name': 'lookup_order', 'tool.ok': true });

    expect([millis(callSpan.startTime), millis(callSpan.endTime)]).toEqual([callStart, callStart + 60_000]);
    expect([millis(turnSpan.startTime), millis(turnSpan.endTime)]).toEqual([callStart + 1_000, callStart + 3_000]);
    expect([millis(toolSpan.startTime), millis(toolSpan.endTime)]).toEqual([callStart + 1_200, callStart + 1_500]);
  });

  it('lets nothing but catalogued, code-shaped values into spans', () => {
    const call = tracer.startCall(
      { 'call.sid': callSid, 'call.department': 'jane.doe@example.com', 'caller.number': '+14155550123' } as TraceAttributes,
      callStart,
    );
    call.setAttributes({ 'escalation.cause': 'the caller said she was very upset' });
    call.end(callStart + 1_000);

    expect(spanNamed(tracing.spans(), 'call').attributes).toEqual({ 'call.sid': callSid });
  });

  it('ends a span once, and ignores changes after it ended', () => {
    const call = tracer.startCall({ 'call.sid': callSid }, callStart);
    call.end(callStart + 1_000);
    call.end(callStart + 2_000);
    call.fail('late');
    call.setAttributes({ 'call.outcome': 'resolved' });

    const spans = tracing.spans();
    expect(spans).toHaveLength(1);
    expect(millis(spans[0].endTime)).toBe(callStart + 1_000);
    expect(spans[0].status.code).toBe(SpanStatusCode.UNSET);
    expect(spans[0].attributes).toEqual({ 'call.sid': callSid });
  });

  it('marks a span failed with a bounded code, never free text', () => {
    const call = tracer.startCall({ 'call.sid': callSid }, callStart);
    const failedTool = call.child('tool', { startTime: callStart + 10 });
    failedTool.fail('tool_timeout');
    failedTool.end(callStart + 15);
    const failedWithWords = call.child('handoff', { startTime: callStart + 20 });
    failedWithWords.fail('could not reach jane.doe@example.com');
    failedWithWords.end(callStart + 30);
    call.fail('provider_unreachable');
    call.end(callStart + 1_000);

    expect(spanNamed(tracing.spans(), 'call').status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider_unreachable' });
    expect(spanNamed(tracing.spans(), 'tool').status).toEqual({ code: SpanStatusCode.ERROR, message: 'tool_timeout' });
    expect(spanNamed(tracing.spans(), 'handoff').status).toEqual({ code: SpanStatusCode.ERROR, message: 'error' });
  });

  it("joins the call's trace from its traceparent, as a child of the call span", async () => {
    const call = tracer.startCall({ 'call.sid': callSid }, callStart);
    call.end(callStart + 1_000);

    const result = await tracer.inCallTrace(
      call.traceparent,
      'post-call-summary',
      { 'job.id': callSid, 'job.attempt': 1 },
      async (span) => {
        span.setAttributes({ 'job.result': 'stored' });
        return 'done';
      },
    );

    expect(result).toBe('done');
    const callSpan = spanNamed(tracing.spans(), 'call');
    const jobSpan = spanNamed(tracing.spans(), 'post-call-summary');
    expect(jobSpan.spanContext().traceId).toBe(call.traceId);
    expect(jobSpan.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId);
    expect(jobSpan.parentSpanContext?.isRemote).toBe(true);
    expect(jobSpan.attributes).toEqual({ 'job.id': callSid, 'job.attempt': 1, 'job.result': 'stored' });
    expect(jobSpan.status.code).toBe(SpanStatusCode.UNSET);
    expect(jobSpan.ended).toBe(true);
  });

  it.each<[string, string | undefined]>([
    ['absent', undefined],
    ['empty', ''],
    ['malformed', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`],
  ])('starts a new root span when the traceparent is %s', async (_case, traceparent) => {
    await tracer.inCallTrace(traceparent, 'post-call-summary', { 'job.id': callSid }, async () => undefined);

    const [jobSpan] = tracing.spans();
    expect(jobSpan.name).toBe('post-call-summary');
    expect(jobSpan.parentSpanContext).toBeUndefined();
    expect(jobSpan.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('fails the span with the error code, not its message, and rethrows', async () => {
    const call = tracer.startCall({ 'call.sid': callSid }, callStart);
    const error = Object.assign(new Error('caller +14155550123 not found'), { code: 'CALL_NOT_FOUND' });

    await expect(
      tracer.inCallTrace(call.traceparent, 'post-call-summary', {}, async () => {
        throw error;
      }),
    ).rejects.toBe(error);

    const jobSpan = spanNamed(tracing.spans(), 'post-call-summary');
    expect(jobSpan.status).toEqual({ code: SpanStatusCode.ERROR, message: 'CALL_NOT_FOUND' });
    expect(jobSpan.ended).toBe(true);
  });

  it('keeps the code the work chose when it fails the span itself before throwing', async () => {
    await expect(
      tracer.inCallTrace(undefined, 'post-call-summary', {}, async (span) => {
        span.fail('summary_invalid');
        throw new TypeError('bad');
      }),
    ).rejects.toThrow('bad');
    await expect(
      tracer.inCallTrace(undefined, 'handoff-log', {}, async () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow('bad');

    expect(spanNamed(tracing.spans(), 'post-call-summary').status.message).toBe('summary_invalid');
    expect(spanNamed(tracing.spans(), 'handoff-log').status.message).toBe('TypeError');
  });
});
