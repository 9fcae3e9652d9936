import {
  checkClientEvent,
  checkConversationItem,
  checkResponseCreate,
  checkTruncate,
  spokenTextOf,
} from '../../../src/voice-agent/local/local-openai-client-event.validator';

describe('local OpenAI Realtime client events', () => {
  it('knows the GA client events and refuses unknown ones and unknown fields', () => {
    expect(checkClientEvent({ type: 'response.create', event_id: 'evt_1' })).toEqual({ ok: true, value: 'response.create' });
    expect(checkClientEvent({ type: 'input.audio', audio: '' })).toMatchObject({
      ok: false,
      problem: { code: 'invalid_value', param: 'type' },
    });
    expect(checkClientEvent({ type: 'response.cancel', reason: 'barge-in' })).toMatchObject({
      ok: false,
      problem: { code: 'unknown_parameter', param: 'reason' },
    });
  });

  it('reads response.create: optional body, GA fields only', () => {
    expect(checkResponseCreate(undefined)).toEqual({ ok: true, value: {} });
    expect(checkResponseCreate({ instructions: 'Greet the caller.' })).toEqual({ ok: true, value: { instructions: 'Greet the caller.' } });
    expect(checkResponseCreate({ modalities: ['audio'] })).toMatchObject({
      ok: false,
      problem: { code: 'unknown_parameter', param: 'response.modalities' },
    });
  });

  it('accepts function_call_output items with a call_id and a string output', () => {
    expect(checkConversationItem({ type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' })).toEqual({
      ok: true,
      value: { type: 'function_call_output', id: undefined, call_id: 'call_1', output: '{"ok":true}' },
    });
    expect(checkConversationItem({ type: 'function_call_output', output: '{}' })).toMatchObject({
      ok: false,
      problem: { code: 'missing_required_parameter', param: 'item.call_id' },
    });
    expect(checkConversationItem({ type: 'function_call_output', call_id: 'call_1', output: { ok: true } })).toMatchObject({
      ok: false,
      problem: { code: 'invalid_type', param: 'item.output' },
    });
  });

  it('accepts history messages with the content each role may carry', () => {
    expect(checkConversationItem({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] })).toMatchObject({
      ok: true,
      value: { type: 'message', role: 'user', text: 'Hi' },
    });
    expect(checkConversationItem({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] })).toMatchObject({
      ok: true,
      value: { role: 'assistant', text: 'Hello' },
    });
    expect(checkConversationItem({ type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }] })).toMatchObject({
      ok: true,
    });
    // Assistant audio cannot be seeded; beta part types are refused.
    expect(checkConversationItem({ type: 'message', role: 'assistant', content: [{ type: 'output_audio', audio: 'AA==' }] })).toMatchObject(
      {
        ok: false,
        problem: { code: 'invalid_value', param: 'item.content[0].type' },
      },
    );
    expect(checkConversationItem({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'beta' }] })).toMatchObject({
      ok: false,
      problem: { param: 'item.content[0].type' },
    });
    expect(checkConversationItem({ type: 'message', content: [] })).toMatchObject({ ok: false, problem: { param: 'item.role' } });
  });

  it('reads conversation.item.truncate', () => {
    expect(checkTruncate({ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 640 })).toEqual({
      ok: true,
      value: { item_id: 'item_1', content_index: 0, audio_end_ms: 640 },
    });
    expect(checkTruncate({ item_id: 'item_1', content_index: 0 })).toMatchObject({
      ok: false,
      problem: { code: 'missing_required_parameter', param: 'audio_end_ms' },
    });
    expect(checkTruncate({ item_id: 'item_1', content_index: 0, audio_end_ms: -1 })).toMatchObject({
      ok: false,
      problem: { param: 'audio_end_ms' },
    });
  });

  it('finds the exact words of the greeting convention', () => {
    expect(spokenTextOf('Say exactly: "Hi, this is Avery from Acme support."')).toBe('Hi, this is Avery from Acme support.');
    expect(spokenTextOf('Greet the caller. say exactly “Hello there”')).toBe('Hello there');
    expect(spokenTextOf('Greet the caller warmly.')).toBeUndefined();
    expect(spokenTextOf(undefined)).toBeUndefined();
  });
});
