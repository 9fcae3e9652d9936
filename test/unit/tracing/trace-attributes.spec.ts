import { safeTraceAttributes, safeTraceString, TRACE_ATTRIBUTE_NAMES } from '../../../src/tracing/trace-attributes';

describe('safeTraceAttributes', () => {
  const callSid = 'CA0123456789abcdef0123456789abcdef';

  it('keeps ids, department keys, tool names, codes, finite numbers and booleans', () => {
    const kept = {
      'call.sid': callSid,
      'call.department': 'billing',
      'call.provider': 'openai-realtime',
      'tool.name': 'lookup_order',
      'tool.call_id': 'call_9fZ2-x',
      'tool.ok': false,
      'tool.duration_ms': 412.5,
      'turn.number': 3,
      'handoff.status': 'applied',
      'job.id': `${callSid}.r2`,
      'job.name': 'post-call-summary',
      'escalation.result': 'transfer_failed',
      'turn.measured_from': 'reply-3@1200',
    };
    expect(safeTraceAttributes(kept)).toEqual(kept);
  });

  it.each<[string, string, unknown]>([
    ['a caller number in E.164', 'call.sid', '+14155550123'],
    ['a caller number in a SIP address', 'handoff.to', 'sip:+14155550123@pbx.example.com'],
    ['a caller number without the plus', 'job.id', '14155550123'],
    ['a national number with separators', 'call.sid', '(415)555-0123'],
    ['a caller number stored as a number', 'job.attempt', 14155550123],
    ['an email', 'tool.call_id', 'jane.doe@example.com'],
    ['a sentence', 'escalation.cause', 'I want to cancel my order please'],
    ['words across lines', 'call.outcome', 'refund\nnow'],
    ['a string over 128 characters', 'call.sid', 'a'.repeat(129)],
    ['an infinite number', 'turn.response_latency_ms', Number.POSITIVE_INFINITY],
    ['NaN', 'turn.tools_ms', Number.NaN],
    ['an object', 'call.department', { name: 'billing' }],
    ['an array', 'tool.name', ['a', 'b']],
    ['null', 'call.department', null],
  ])('drops %s', (_case, name, value) => {
    expect(safeTraceAttributes({ 'turn.number': 1, [name]: value })).toEqual({ 'turn.number': 1 });
  });

  it('drops names outside the catalogue, whatever the value', () => {
    expect(safeTraceAttributes({ 'caller.number': 'CA1', transcript: 'ok', 'call.sid': callSid })).toEqual({ 'call.sid': callSid });
  });

  it('keeps a 128-character id', () => {
    expect(safeTraceString('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('names each attribute once', () => {
    expect(new Set(TRACE_ATTRIBUTE_NAMES).size).toBe(TRACE_ATTRIBUTE_NAMES.length);
  });
});
