import {
  decodeServerFrame,
  encodeFunctionCallOutput,
  encodeHistoryMessage,
  encodeInputAudioAppend,
  encodeItemTruncate,
  encodeResponseCreate,
  encodeSessionUpdate,
  isOutputAudioOfItem,
  outputAudioDelta,
  outputAudioItemId,
} from '../../../../src/voice-agent/openai/openai-realtime.wire';

const AUDIO = Buffer.alloc(160, 0x7f).toString('base64');
const deltaFrame = (delta = AUDIO, itemId = 'item_1') =>
  `{"type":"response.output_audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"${itemId}","output_index":0,"content_index":0,"delta":"${delta}"}`;

describe('openai realtime wire: client -> server', () => {
  it('builds input_audio_buffer.append around the payload, untouched', () => {
    const text = encodeInputAudioAppend(AUDIO);
    expect(text).toBe(`{"type":"input_audio_buffer.append","audio":"${AUDIO}"}`);
    expect(JSON.parse(text)).toEqual({ type: 'input_audio_buffer.append', audio: AUDIO });
  });

  it('encodes the control messages', () => {
    expect(JSON.parse(encodeSessionUpdate({ type: 'realtime', instructions: 'p' }))).toEqual({
      type: 'session.update',
      session: { type: 'realtime', instructions: 'p' },
    });
    expect(JSON.parse(encodeFunctionCallOutput('call_1', '{"ok":true}'))).toEqual({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
    });
    expect(JSON.parse(encodeResponseCreate('rc_1'))).toEqual({ type: 'response.create', event_id: 'rc_1' });
    expect(JSON.parse(encodeResponseCreate('rc_2', 'Say hi'))).toEqual({
      type: 'response.create',
      event_id: 'rc_2',
      response: { instructions: 'Say hi' },
    });
    expect(JSON.parse(encodeItemTruncate('item_1', 1200))).toEqual({
      type: 'conversation.item.truncate',
      item_id: 'item_1',
      content_index: 0,
      audio_end_ms: 1200,
    });
  });

  it('seeds history as messages: caller turns as input_text, agent turns as output_text', () => {
    expect(JSON.parse(encodeHistoryMessage('user', 'my order is late'))).toEqual({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'my order is late' }] },
    });
    expect(JSON.parse(encodeHistoryMessage('assistant', 'let me check'))).toEqual({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'let me check' }] },
    });
  });
});

describe('openai realtime wire: output audio fast path', () => {
  it('finds the delta and its item without parsing', () => {
    const frame = deltaFrame();
    expect(outputAudioDelta(frame)).toBe(AUDIO);
    expect(outputAudioItemId(frame)).toBe('item_1');
    expect(isOutputAudioOfItem(frame, 'item_1')).toBe(true);
    expect(isOutputAudioOfItem(frame, 'item_')).toBe(false);
    expect(isOutputAudioOfItem(frame, 'item_12')).toBe(false);
  });

  it('accepts "type" first or after event_id', () => {
    expect(outputAudioDelta(`{"type":"response.output_audio.delta","item_id":"i","delta":"${AUDIO}"}`)).toBe(AUDIO);
    expect(outputAudioDelta(`{"event_id":"event_4950","type":"response.output_audio.delta","delta":"${AUDIO}"}`)).toBe(AUDIO);
  });

  it('leaves other frames, and unusual shapes, to the parsed path', () => {
    expect(outputAudioDelta('{"type":"response.output_audio_transcript.delta","delta":"hello"}')).toBeUndefined();
    expect(outputAudioDelta('{"type": "response.output_audio.delta", "delta": "abcd"}')).toBeUndefined();
    expect(outputAudioDelta('{"type":"response.output_audio.delta","delta":"ab\\/cd"}')).toBeUndefined();
    // A transcript quoting the event name is escaped inside a string, never a match.
    expect(outputAudioDelta('{"type":"x","text":"\\"type\\":\\"response.output_audio.delta\\"","delta":"abcd"}')).toBeUndefined();
  });
});

describe('openai realtime wire: decodeServerFrame', () => {
  it('reads audio on the fast path and in unusual shapes', () => {
    expect(decodeServerFrame(deltaFrame())).toEqual({ kind: 'audio', delta: AUDIO, item_id: 'item_1' });
    expect(decodeServerFrame('{"type": "response.output_audio.delta", "item_id": "i2", "delta": "ab\\/cd"}')).toEqual({
      kind: 'audio',
      delta: 'ab/cd',
      item_id: 'i2',
    });
    expect(decodeServerFrame('{"type":"response.output_audio.delta"}')).toEqual({
      kind: 'malformed',
      reason: 'response.output_audio.delta: missing or invalid "delta"',
    });
  });

  it('validates the events it acts on', () => {
    expect(decodeServerFrame('{"type":"session.created","session":{"id":"sess_1","type":"realtime"}}')).toEqual({
      kind: 'event',
      event: { type: 'session.created', session_id: 'sess_1' },
    });
    expect(decodeServerFrame('{"type":"session.created","session":{}}')).toEqual({
      kind: 'malformed',
      reason: 'session.created: missing or invalid "session.id"',
    });
    expect(decodeServerFrame('{"type":"session.updated","session":{"id":"sess_1"}}')).toEqual({
      kind: 'event',
      event: { type: 'session.updated', session_id: 'sess_1' },
    });
    expect(decodeServerFrame('{"type":"input_audio_buffer.speech_started","audio_start_ms":10,"item_id":"i"}')).toEqual({
      kind: 'event',
      event: { type: 'input_audio_buffer.speech_started' },
    });
    expect(decodeServerFrame('{"type":"conversation.item.input_audio_transcription.completed","item_id":"i","transcript":"hi"}')).toEqual({
      kind: 'event',
      event: { type: 'conversation.item.input_audio_transcription.completed', item_id: 'i', transcript: 'hi' },
    });
    expect(decodeServerFrame('{"type":"response.created","response":{"id":"resp_1","status":"in_progress"}}')).toEqual({
      kind: 'event',
      event: { type: 'response.created', response_id: 'resp_1' },
    });
  });

  it('reads errors, with the type standing in for a missing code', () => {
    expect(
      decodeServerFrame(
        '{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"invalid_value","message":"bad","param":"session.audio.output.voice","event_id":"rc_1"}}',
      ),
    ).toEqual({
      kind: 'event',
      event: {
        type: 'error',
        code: 'invalid_value',
        message: 'bad',
        error_type: 'invalid_request_error',
        param: 'session.audio.output.voice',
        event_id: 'rc_1',
      },
    });
    expect(decodeServerFrame('{"type":"error","error":{"type":"server_error","code":null,"message":"oops"}}')).toEqual({
      kind: 'event',
      event: { type: 'error', code: 'server_error', message: 'oops', error_type: 'server_error' },
    });
    expect(decodeServerFrame('{"type":"error"}')).toEqual({ kind: 'malformed', reason: 'error: missing or invalid "error"' });
  });

  it('reads function calls and response.done with its output', () => {
    expect(
      decodeServerFrame(
        '{"type":"response.output_item.done","response_id":"r","item":{"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1","name":"lookup_order","arguments":"{\\"order_id\\":\\"ORD-1\\"}"}}',
      ),
    ).toEqual({
      kind: 'event',
      event: {
        type: 'response.output_item.done',
        response_id: 'r',
        item: {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_1',
          name: 'lookup_order',
          arguments: '{"order_id":"ORD-1"}',
          status: 'completed',
        },
      },
    });
    expect(decodeServerFrame('{"type":"response.output_item.done","item":{"type":"function_call","name":"x"}}')).toEqual({
      kind: 'malformed',
      reason: 'response.output_item.done: missing or invalid "item"',
    });
    const done = decodeServerFrame(
      JSON.stringify({
        type: 'response.done',
        response: {
          id: 'r',
          status: 'cancelled',
          status_details: { type: 'cancelled', reason: 'turn_detected' },
          output: [
            {
              id: 'm1',
              type: 'message',
              role: 'assistant',
              status: 'incomplete',
              content: [{ type: 'output_audio', transcript: 'Hello th' }],
            },
          ],
        },
      }),
    );
    expect(done).toEqual({
      kind: 'event',
      event: {
        type: 'response.done',
        response_id: 'r',
        status: 'cancelled',
        status_details: { type: 'cancelled', reason: 'turn_detected' },
        output: [{ type: 'message', id: 'm1', role: 'assistant', status: 'incomplete', transcript: 'Hello th' }],
      },
    });
    expect(decodeServerFrame('{"type":"response.done","response":{}}')).toEqual({
      kind: 'malformed',
      reason: 'response.done: missing or invalid "response.status"',
    });
  });

  it('accepts the events it has no use for, and reports unknown and malformed ones without throwing', () => {
    expect(decodeServerFrame('{"type":"rate_limits.updated","rate_limits":[]}')).toEqual({ kind: 'ignored', type: 'rate_limits.updated' });
    expect(decodeServerFrame('{"type":"response.content_part.added"}')).toEqual({ kind: 'ignored', type: 'response.content_part.added' });
    expect(decodeServerFrame('{"type":"response.brand_new"}')).toEqual({ kind: 'unknown', type: 'response.brand_new' });
    expect(decodeServerFrame('not json')).toEqual({ kind: 'malformed', reason: 'not JSON' });
    expect(decodeServerFrame('[1]')).toEqual({ kind: 'malformed', reason: 'not a JSON object' });
    expect(decodeServerFrame('{"no":"type"}')).toEqual({ kind: 'malformed', reason: 'message without a string "type"' });
  });
});
