import {
  decodeClientFrame,
  decodeProviderFrame,
  encodeInputAudio,
  encodeReplyAudio,
  encodeReplyCreate,
  encodeSessionEnd,
  encodeSessionResume,
  encodeSessionUpdate,
  encodeToolResult,
  normaliseToolArguments,
} from '../../../src/voice-agent/voice-agent-wire';

const AUDIO = Buffer.alloc(160, 0x7f).toString('base64');

describe('voice agent wire: client -> provider encoders', () => {
  it('encodes input.audio as valid JSON with the payload untouched', () => {
    const text = encodeInputAudio(AUDIO);
    expect(text).toBe(`{"type":"input.audio","audio":"${AUDIO}"}`);
    expect(JSON.parse(text)).toEqual({ type: 'input.audio', audio: AUDIO });
  });

  it('encodes the control messages', () => {
    expect(JSON.parse(encodeSessionUpdate({ system_prompt: 'p', tools: [] }))).toEqual({
      type: 'session.update',
      session: { system_prompt: 'p', tools: [] },
    });
    expect(JSON.parse(encodeSessionResume('sess_1'))).toEqual({ type: 'session.resume', session_id: 'sess_1' });
    expect(JSON.parse(encodeToolResult('call_1', '{"ok":true}'))).toEqual({
      type: 'tool.result',
      call_id: 'call_1',
      result: '{"ok":true}',
    });
    expect(JSON.parse(encodeReplyCreate())).toEqual({ type: 'reply.create' });
    expect(JSON.parse(encodeReplyCreate('say hi'))).toEqual({ type: 'reply.create', instructions: 'say hi' });
    expect(JSON.parse(encodeSessionEnd())).toEqual({ type: 'session.end' });
  });
});

describe('voice agent wire: decodeProviderFrame', () => {
  it('reads reply.audio on the fast path', () => {
    expect(decodeProviderFrame(encodeReplyAudio(AUDIO))).toEqual({ kind: 'audio', audio: AUDIO });
  });

  it('reads reply.audio with extra fields before data', () => {
    expect(decodeProviderFrame(`{"type":"reply.audio","reply_id":"r1","data":"${AUDIO}"}`)).toEqual({ kind: 'audio', audio: AUDIO });
  });

  it('falls back to JSON.parse for reply.audio in an unexpected shape', () => {
    expect(decodeProviderFrame('{"type":"reply.audio","data":"ab\\/cd"}')).toEqual({ kind: 'audio', audio: 'ab/cd' });
    expect(decodeProviderFrame('{"type":"reply.audio", "data": "abcd"}')).toEqual({ kind: 'audio', audio: 'abcd' });
    expect(decodeProviderFrame('{"type":"reply.audio"}')).toEqual({ kind: 'malformed', reason: 'reply.audio: missing or invalid "data"' });
  });

  it('validates events into the ProviderEvent union', () => {
    const events = [
      [
        { type: 'session.ready', session_id: 's1' },
        { type: 'session.ready', session_id: 's1' },
      ],
      [{ type: 'session.updated' }, { type: 'session.updated' }],
      [
        { type: 'session.error', code: 'immutable_field', message: 'no', param: 'output.voice' },
        { type: 'session.error', code: 'immutable_field', message: 'no', param: 'output.voice' },
      ],
      [
        { type: 'session.error', code: 'server_error' },
        { type: 'session.error', code: 'server_error', message: '' },
      ],
      [
        { type: 'session.ended', session_duration_seconds: 12.5, extra: 1 },
        { type: 'session.ended', session_duration_seconds: 12.5 },
      ],
      [
        { type: 'reply.started', reply_id: 'r1' },
        { type: 'reply.started', reply_id: 'r1' },
      ],
      [
        { type: 'transcript.user.delta', text: 'wh' },
        { type: 'transcript.user.delta', text: 'wh' },
      ],
      [
        { type: 'transcript.user', text: 'where is my order' },
        { type: 'transcript.user', text: 'where is my order' },
      ],
      [
        { type: 'transcript.agent', text: 'Let', interrupted: true },
        { type: 'transcript.agent', text: 'Let', interrupted: true },
      ],
      [
        { type: 'transcript.agent', text: 'Hello' },
        { type: 'transcript.agent', text: 'Hello' },
      ],
      [
        { type: 'reply.done', status: 'interrupted' },
        { type: 'reply.done', status: 'interrupted' },
      ],
      [{ type: 'reply.done' }, { type: 'reply.done' }],
      [{ type: 'input.speech.started' }, { type: 'input.speech.started' }],
      [{ type: 'input.speech.stopped' }, { type: 'input.speech.stopped' }],
    ];
    for (const [wire, expected] of events) {
      expect(decodeProviderFrame(JSON.stringify(wire))).toEqual({ kind: 'event', event: expected });
    }
  });

  it('accepts tool.call arguments as an object or as a JSON string', () => {
    const asObject = decodeProviderFrame(
      JSON.stringify({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: { order_id: 'ORD-12345' } }),
    );
    const asString = decodeProviderFrame(
      JSON.stringify({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: '{"order_id":"ORD-12345"}' }),
    );
    const expected = {
      kind: 'event',
      event: { type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: { order_id: 'ORD-12345' } },
    };
    expect(asObject).toEqual(expected);
    expect(asString).toEqual(expected);
  });

  it('turns unparsable tool.call arguments into {} plus the raw text', () => {
    const frame = decodeProviderFrame(
      JSON.stringify({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: '{order_id: ORD' }),
    );
    expect(frame).toEqual({
      kind: 'event',
      event: { type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: {}, invalidArguments: { raw: '{order_id: ORD' } },
    });
  });

  it('rejects tool.call without call_id or name', () => {
    expect(decodeProviderFrame('{"type":"tool.call","name":"x","arguments":{}}').kind).toBe('malformed');
    expect(decodeProviderFrame('{"type":"tool.call","call_id":"c","arguments":{}}').kind).toBe('malformed');
  });

  it('returns unknown types without throwing', () => {
    expect(decodeProviderFrame('{"type":"agent.thinking","x":1}')).toEqual({
      kind: 'unknown',
      type: 'agent.thinking',
      message: { type: 'agent.thinking', x: 1 },
    });
  });

  it('never throws on garbage', () => {
    for (const text of [
      '',
      'not json',
      '[]',
      '42',
      'null',
      '{"no":"type"}',
      '{"type":"session.ready"}',
      '{"type":"transcript.user","text":1}',
    ]) {
      expect(decodeProviderFrame(text).kind).toBe('malformed');
    }
  });
});

describe('voice agent wire: normaliseToolArguments', () => {
  it('treats missing and empty arguments as {}', () => {
    expect(normaliseToolArguments(undefined)).toEqual({ ok: true, value: {} });
    expect(normaliseToolArguments(null)).toEqual({ ok: true, value: {} });
    expect(normaliseToolArguments('  ')).toEqual({ ok: true, value: {} });
  });

  it('rejects JSON that is not an object', () => {
    expect(normaliseToolArguments('[1,2]')).toEqual({ ok: false, raw: '[1,2]' });
    expect(normaliseToolArguments(7)).toEqual({ ok: false, raw: '7' });
  });
});

describe('voice agent wire: decodeClientFrame (local provider side)', () => {
  it('reads input.audio on the fast path', () => {
    expect(decodeClientFrame(encodeInputAudio(AUDIO))).toEqual({ kind: 'audio', audio: AUDIO });
  });

  it('reads client messages', () => {
    const frame = decodeClientFrame(encodeToolResult('c1', '{"ok":true}'));
    expect(frame).toMatchObject({ kind: 'message', message: { type: 'tool.result', call_id: 'c1', result: '{"ok":true}' } });
    expect(decodeClientFrame(encodeSessionEnd())).toMatchObject({ kind: 'message', message: { type: 'session.end' } });
  });

  it('reports unknown and malformed frames', () => {
    expect(decodeClientFrame('{"type":"session.start"}')).toMatchObject({ kind: 'unknown', type: 'session.start' });
    expect(decodeClientFrame('{')).toMatchObject({ kind: 'malformed' });
    expect(decodeClientFrame('{"type":"input.audio"}')).toMatchObject({ kind: 'malformed' });
  });
});
