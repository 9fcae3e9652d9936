import { normaliseToolArguments } from '../voice-agent-wire';
import { ProviderEvent, ReplyDoneEvent, SessionErrorEvent, ToolCallEvent } from '../voice-agent.types';
import { OpenAiOutputItem, OpenAiServerEvent } from './openai-realtime.wire';

// OpenAI Realtime server events -> the provider-neutral ProviderEvent vocabulary the call
// session speaks (PROTOCOL.md). Pure: the little it remembers is in ServerEventMapping, one per socket.

export interface ServerEventMapping {
  sessionId?: string;
  /** The first session.updated (the answer to our first session.update) has arrived: the session is ready. */
  configured: boolean;
  /** Function calls of the response in progress already reported as tool.call. */
  reportedCalls: readonly string[];
  /** Assistant items of the response in progress whose transcript was reported. */
  transcribedItems: readonly string[];
}

export interface MappedEvents {
  mapping: ServerEventMapping;
  events: ProviderEvent[];
}

export const initialEventMapping = (): ServerEventMapping => ({ configured: false, reportedCalls: [], transcribedItems: [] });

export function mapServerEvent(mapping: ServerEventMapping, event: OpenAiServerEvent): MappedEvents {
  const unchanged = (...events: ProviderEvent[]): MappedEvents => ({ mapping, events });
  switch (event.type) {
    case 'session.created':
      return { mapping: { ...mapping, sessionId: event.session_id }, events: [] };
    case 'session.updated': {
      if (mapping.configured) return unchanged({ type: 'session.updated' });
      const sessionId = event.session_id ?? mapping.sessionId ?? '';
      return { mapping: { ...mapping, sessionId, configured: true }, events: [{ type: 'session.ready', session_id: sessionId }] };
    }
    case 'error':
      return unchanged(sessionErrorFrom(event));
    case 'input_audio_buffer.speech_started':
      return unchanged({ type: 'input.speech.started' });
    case 'input_audio_buffer.speech_stopped':
      return unchanged({ type: 'input.speech.stopped' });
    case 'conversation.item.input_audio_transcription.delta':
      return event.delta === '' ? unchanged() : unchanged({ type: 'transcript.user.delta', text: event.delta });
    case 'conversation.item.input_audio_transcription.completed': {
      const text = event.transcript.trim();
      return text === '' ? unchanged() : unchanged({ type: 'transcript.user', text });
    }
    case 'response.created':
      return {
        mapping: { ...mapping, reportedCalls: [], transcribedItems: [] },
        events: [event.response_id ? { type: 'reply.started', reply_id: event.response_id } : { type: 'reply.started' }],
      };
    case 'response.output_audio_transcript.done': {
      const text = event.transcript.trim();
      const transcribedItems = event.item_id ? [...mapping.transcribedItems, event.item_id] : mapping.transcribedItems;
      return { mapping: { ...mapping, transcribedItems }, events: text === '' ? [] : [{ type: 'transcript.agent', text }] };
    }
    case 'response.output_item.done': {
      const call = completedFunctionCall(event.item);
      if (!call || mapping.reportedCalls.includes(call.call_id)) return unchanged();
      return { mapping: { ...mapping, reportedCalls: [...mapping.reportedCalls, call.call_id] }, events: [toolCallFrom(call)] };
    }
    case 'response.done':
      return responseDone(mapping, event);
  }
}

export function sessionErrorFrom(error: Extract<OpenAiServerEvent, { type: 'error' }>): SessionErrorEvent {
  const event: SessionErrorEvent = { type: 'session.error', code: error.code, message: error.message };
  if (error.param) event.param = error.param;
  return event;
}

/** completed -> plain reply.done; cancelled (barge-in) -> interrupted; failed, incomplete and others as they are. */
export function replyDoneFrom(status: string): ReplyDoneEvent {
  if (status === 'completed') return { type: 'reply.done' };
  return { type: 'reply.done', status: status === 'cancelled' ? 'interrupted' : status };
}

export function toolCallFrom(item: Extract<OpenAiOutputItem, { type: 'function_call' }>): ToolCallEvent {
  const call: ToolCallEvent = { type: 'tool.call', call_id: item.call_id, name: item.name, arguments: {} };
  const normalised = normaliseToolArguments(item.arguments);
  if (normalised.ok) call.arguments = normalised.value;
  else call.invalidArguments = { raw: normalised.raw };
  return call;
}

/*
 * The reply boundary. Whatever response.output_item.done did not report (a function call or a
 * transcript the server skipped, as it may for a cancelled response) is reported from the
 * response's own output first, so the session sees every call and every word before reply.done.
 */
function responseDone(mapping: ServerEventMapping, event: Extract<OpenAiServerEvent, { type: 'response.done' }>): MappedEvents {
  const events: ProviderEvent[] = [];
  const cancelled = event.status === 'cancelled';
  for (const item of event.output) {
    const call = completedFunctionCall(item);
    if (call && !mapping.reportedCalls.includes(call.call_id)) events.push(toolCallFrom(call));
    if (item.type === 'message' && item.role !== 'user' && item.transcript && !(item.id && mapping.transcribedItems.includes(item.id))) {
      const text = item.transcript.trim();
      if (text !== '') events.push(cancelled ? { type: 'transcript.agent', text, interrupted: true } : { type: 'transcript.agent', text });
    }
  }
  if (event.status === 'failed') {
    const error = event.status_details?.error;
    events.push({
      type: 'session.error',
      code: error?.code ?? error?.type ?? 'response_failed',
      message: error?.message ?? 'the response failed',
    });
  }
  events.push(replyDoneFrom(event.status));
  return { mapping: { ...mapping, reportedCalls: [], transcribedItems: [] }, events };
}

// A call whose arguments were cut off (the response was cancelled mid-call) cannot be run.
function completedFunctionCall(item: OpenAiOutputItem): Extract<OpenAiOutputItem, { type: 'function_call' }> | undefined {
  return item.type === 'function_call' && item.status !== 'incomplete' && item.status !== 'in_progress' ? item : undefined;
}
