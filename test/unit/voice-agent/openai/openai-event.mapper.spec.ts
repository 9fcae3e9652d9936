import {
  initialEventMapping,
  mapServerEvent,
  replyDoneFrom,
  ServerEventMapping,
} from '../../../../src/voice-agent/openai/openai-event.mapper';
import { OpenAiOutputItem, OpenAiServerEvent } from '../../../../src/voice-agent/openai/openai-realtime.wire';
import { ProviderEvent } from '../../../../src/voice-agent/voice-agent.types';

/** Feeds events through the mapper in order, as the client does, and collects what the session would see. */
function mapAll(events: OpenAiServerEvent[], start: ServerEventMapping = initialEventMapping()) {
  let mapping = start;
  const seen: ProviderEvent[] = [];
  for (const event of events) {
    const step = mapServerEvent(mapping, event);
    mapping = step.mapping;
    seen.push(...step.events);
  }
  return { mapping, seen };
}

const functionCall = (callId: string, args: unknown = '{"order_id":"ORD-1"}', status = 'completed'): OpenAiOutputItem => ({
  type: 'function_call',
  id: `fc_${callId}`,
  call_id: callId,
  name: 'lookup_order',
  arguments: args,
  status,
});
const configured = mapAll([
  { type: 'session.created', session_id: 'sess_1' },
  { type: 'session.updated', session_id: 'sess_1' },
]).mapping;

describe('mapServerEvent: session lifecycle', () => {
  it('reports the first session.updated as session.ready with the id from session.created, later ones as session.updated', () => {
    const { seen, mapping } = mapAll([
      { type: 'session.created', session_id: 'sess_1' },
      { type: 'session.updated' },
      { type: 'session.updated', session_id: 'sess_1' },
    ]);
    expect(seen).toEqual([{ type: 'session.ready', session_id: 'sess_1' }, { type: 'session.updated' }]);
    expect(mapping).toMatchObject({ configured: true, sessionId: 'sess_1' });
  });

  it('maps errors to session.error with code, message and param', () => {
    expect(
      mapAll([
        {
          type: 'error',
          code: 'invalid_value',
          message: 'bad voice',
          param: 'session.audio.output.voice',
          error_type: 'invalid_request_error',
        },
      ]).seen,
    ).toEqual([{ type: 'session.error', code: 'invalid_value', message: 'bad voice', param: 'session.audio.output.voice' }]);
  });
});

describe('mapServerEvent: the caller', () => {
  it('maps speech and transcripts, skipping empty ones', () => {
    const { seen } = mapAll(
      [
        { type: 'input_audio_buffer.speech_started' },
        { type: 'input_audio_buffer.speech_stopped' },
        { type: 'conversation.item.input_audio_transcription.delta', delta: 'my ord' },
        { type: 'conversation.item.input_audio_transcription.completed', item_id: 'i1', transcript: ' my order is late ' },
        { type: 'conversation.item.input_audio_transcription.completed', item_id: 'i2', transcript: '  ' },
      ],
      configured,
    );
    expect(seen).toEqual([
      { type: 'input.speech.started' },
      { type: 'input.speech.stopped' },
      { type: 'transcript.user.delta', text: 'my ord' },
      { type: 'transcript.user', text: 'my order is late' },
    ]);
  });
});

describe('mapServerEvent: a reply', () => {
  it('maps a reply with a tool call: reply.started, transcript.agent, tool.call (arguments parsed), reply.done', () => {
    const { seen } = mapAll(
      [
        { type: 'response.created', response_id: 'resp_1' },
        { type: 'response.output_audio_transcript.done', response_id: 'resp_1', item_id: 'm1', transcript: 'Let me check that.' },
        { type: 'response.output_item.done', response_id: 'resp_1', item: functionCall('call_1') },
        {
          type: 'response.done',
          response_id: 'resp_1',
          status: 'completed',
          output: [{ type: 'message', id: 'm1', role: 'assistant', transcript: 'Let me check that.' }, functionCall('call_1')],
        },
      ],
      configured,
    );
    expect(seen).toEqual([
      { type: 'reply.started', reply_id: 'resp_1' },
      { type: 'transcript.agent', text: 'Let me check that.' },
      { type: 'tool.call', call_id: 'call_1', name: 'lookup_order', arguments: { order_id: 'ORD-1' } },
      { type: 'reply.done' },
    ]);
  });

  it('flags arguments that are not a JSON object as invalidArguments', () => {
    const { seen } = mapAll(
      [
        { type: 'response.output_item.done', item: functionCall('call_1', '[1,2]') },
        { type: 'response.output_item.done', item: functionCall('call_2', 'not json') },
        { type: 'response.output_item.done', item: functionCall('call_3', '') },
      ],
      configured,
    );
    expect(seen).toEqual([
      { type: 'tool.call', call_id: 'call_1', name: 'lookup_order', arguments: {}, invalidArguments: { raw: '[1,2]' } },
      { type: 'tool.call', call_id: 'call_2', name: 'lookup_order', arguments: {}, invalidArguments: { raw: 'not json' } },
      { type: 'tool.call', call_id: 'call_3', name: 'lookup_order', arguments: {} },
    ]);
  });

  it('never reports a call twice, nor one whose arguments were cut off', () => {
    const { seen } = mapAll(
      [
        { type: 'response.created' },
        { type: 'response.output_item.done', item: functionCall('call_1') },
        { type: 'response.output_item.done', item: functionCall('call_1') },
        { type: 'response.output_item.done', item: functionCall('call_2', '{"order', 'incomplete') },
        { type: 'response.done', status: 'completed', output: [functionCall('call_1'), functionCall('call_2', '{"order', 'incomplete')] },
      ],
      configured,
    );
    expect(seen.filter((event) => event.type === 'tool.call').map((event) => (event as { call_id: string }).call_id)).toEqual(['call_1']);
  });

  it('reports at response.done what output_item.done did not, in output order, before reply.done', () => {
    const { seen } = mapAll(
      [
        { type: 'response.created' },
        {
          type: 'response.done',
          status: 'completed',
          output: [{ type: 'message', id: 'm1', role: 'assistant', transcript: 'One moment.' }, functionCall('call_9')],
        },
      ],
      configured,
    );
    expect(seen.map((event) => event.type)).toEqual(['reply.started', 'transcript.agent', 'tool.call', 'reply.done']);
  });

  it('maps a cancelled response to an interrupted reply.done, its unreported words flagged interrupted', () => {
    const { seen } = mapAll(
      [
        { type: 'response.created' },
        {
          type: 'response.done',
          status: 'cancelled',
          output: [{ type: 'message', id: 'm1', role: 'assistant', status: 'incomplete', transcript: 'Your order is' }],
        },
      ],
      configured,
    );
    expect(seen).toEqual([
      { type: 'reply.started' },
      { type: 'transcript.agent', text: 'Your order is', interrupted: true },
      { type: 'reply.done', status: 'interrupted' },
    ]);
  });

  it('reports a failed response as session.error before its reply.done, and an incomplete one by its status', () => {
    expect(
      mapAll(
        [
          {
            type: 'response.done',
            status: 'failed',
            status_details: { type: 'failed', error: { type: 'server_error', code: 'rate_limited', message: 'slow down' } },
            output: [],
          },
        ],
        configured,
      ).seen,
    ).toEqual([
      { type: 'session.error', code: 'rate_limited', message: 'slow down' },
      { type: 'reply.done', status: 'failed' },
    ]);
    expect(mapAll([{ type: 'response.done', status: 'incomplete', output: [] }], configured).seen).toEqual([
      { type: 'reply.done', status: 'incomplete' },
    ]);
  });

  it('maps response statuses', () => {
    expect(replyDoneFrom('completed')).toEqual({ type: 'reply.done' });
    expect(replyDoneFrom('cancelled')).toEqual({ type: 'reply.done', status: 'interrupted' });
    expect(replyDoneFrom('failed')).toEqual({ type: 'reply.done', status: 'failed' });
  });
});
