import { ObservedEvent } from '../../../src/voice-agent/local/local-provider-control.messages';
import { inVoiceAgentVocabulary } from '../../../src/simulator/observation-vocabulary';
import { parseCallArguments, wireOf } from '../../../src/simulator/call.cli';

const observed = (direction: ObservedEvent['direction'], message: Record<string, unknown>): ObservedEvent => ({
  type: 'observed',
  callId: 'CA1',
  sessionId: 'sess_1',
  direction,
  message,
  at: 0,
});
const renamed = (direction: ObservedEvent['direction'], message: Record<string, unknown>) =>
  inVoiceAgentVocabulary(observed(direction, message)).message;

describe('the simulator follows OpenAI Realtime traffic in the AssemblyAI vocabulary', () => {
  it('renames what the provider says', () => {
    expect(renamed('provider-to-client', { type: 'conversation.item.input_audio_transcription.completed', transcript: 'hello' })).toEqual({
      type: 'transcript.user',
      text: 'hello',
    });
    expect(renamed('provider-to-client', { type: 'response.output_audio_transcript.done', transcript: 'Hi there' })).toEqual({
      type: 'transcript.agent',
      text: 'Hi there',
    });
    expect(renamed('provider-to-client', { type: 'response.done', response: { status: 'cancelled' } })).toEqual({
      type: 'reply.done',
      status: 'interrupted',
    });
    expect(renamed('provider-to-client', { type: 'response.done', response: { status: 'completed' } })).toEqual({ type: 'reply.done' });
    expect(
      renamed('provider-to-client', {
        type: 'response.output_item.done',
        item: { type: 'function_call', call_id: 'c1', name: 'lookup_order', arguments: '{"order_id":"ORD-1"}' },
      }),
    ).toEqual({ type: 'tool.call', call_id: 'c1', name: 'lookup_order', arguments: { order_id: 'ORD-1' } });
    expect(renamed('provider-to-client', { type: 'error', error: { code: 'unknown_parameter', message: 'no' } })).toEqual({
      type: 'session.error',
      code: 'unknown_parameter',
      message: 'no',
    });
  });

  it('renames what the service sends, and leaves the AssemblyAI wire as it is', () => {
    expect(
      renamed('client-to-provider', {
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: 'c1', output: '{"status":"shipped"}' },
      }),
    ).toEqual({ type: 'tool.result', call_id: 'c1', result: '{"status":"shipped"}' });
    expect(
      renamed('client-to-provider', { type: 'session.update', session: { type: 'realtime', instructions: 'Billing', tools: [] } }),
    ).toEqual({
      type: 'session.update',
      session: { system_prompt: 'Billing', tools: [] },
    });
    // A handoff's partial update: what it does not carry is not made up.
    expect(renamed('client-to-provider', { type: 'session.update', session: { type: 'realtime', instructions: 'Billing' } })).toEqual({
      type: 'session.update',
      session: { system_prompt: 'Billing' },
    });
    const assemblyAi = observed('provider-to-client', { type: 'reply.done', status: 'interrupted' });
    expect(inVoiceAgentVocabulary(assemblyAi)).toBe(assemblyAi);
  });

  it('keeps a tool result as the JSON string the service sent, as AssemblyAI carries it', () => {
    const result = renamed('client-to-provider', {
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'c1', output: '{"error":"tool_not_available"}' },
    });
    expect(typeof result.result).toBe('string');
    expect(JSON.parse(result.result as string)).toEqual({ error: 'tool_not_available' });
  });

  it('renames the end of caller speech, and leaves what only OpenAI has as it is', () => {
    expect(renamed('provider-to-client', { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 900 })).toEqual({
      type: 'input.speech.stopped',
    });
    const history = {
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    };
    expect(renamed('client-to-provider', history)).toBe(history);
    const message = {
      type: 'response.output_item.done',
      item: { id: 'item_1', type: 'message', role: 'assistant', status: 'completed', content: [] },
    };
    expect(renamed('provider-to-client', message)).toBe(message);
    const create = { type: 'response.create', event_id: 'response_create_1' };
    expect(renamed('client-to-provider', create)).toBe(create);
  });

  it('tells the wire from the first session.update, and takes --provider', () => {
    expect(wireOf({ type: 'session.update', session: { type: 'realtime' } })).toBe('openai');
    expect(wireOf({ type: 'session.update', session: { system_prompt: 'x' } })).toBe('assemblyai');
    expect(parseCallArguments(['--provider', 'openai'], {})).toMatchObject({ provider: 'openai' });
    expect(() => parseCallArguments(['--provider', 'gemini'], {})).toThrow('--provider is assemblyai or openai');
  });
});
