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
    ).toEqual({ type: 'tool.result', call_id: 'c1', result: { status: 'shipped' } });
    expect(
      renamed('client-to-provider', { type: 'session.update', session: { type: 'realtime', instructions: 'Billing', tools: [] } }),
    ).toEqual({
      type: 'session.update',
      session: { system_prompt: 'Billing', tools: [] },
    });
    const assemblyAi = observed('provider-to-client', { type: 'reply.done', status: 'interrupted' });
    expect(inVoiceAgentVocabulary(assemblyAi)).toBe(assemblyAi);
  });

  it('tells the wire from the first session.update, and takes --provider', () => {
    expect(wireOf({ type: 'session.update', session: { type: 'realtime' } })).toBe('openai');
    expect(wireOf({ type: 'session.update', session: { system_prompt: 'x' } })).toBe('assemblyai');
    expect(parseCallArguments(['--provider', 'openai'], {})).toMatchObject({ provider: 'openai' });
    expect(() => parseCallArguments(['--provider', 'gemini'], {})).toThrow('--provider is assemblyai or openai');
  });
});
