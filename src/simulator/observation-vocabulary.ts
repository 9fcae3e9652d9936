import { ObservedEvent } from '../voice-agent/local/local-provider-control.messages';

type Message = ObservedEvent['message'];

/**
 * The local servers speak two wires (AssemblyAI's, OpenAI Realtime GA); the simulator and the e2e
 * suites follow a call in one vocabulary, AssemblyAI's. OpenAI messages are renamed into it; others
 * pass as they are. Fields keep AssemblyAI's shapes: a tool result is the JSON string the service sent.
 */
export function inVoiceAgentVocabulary(observation: ObservedEvent): ObservedEvent {
  const message =
    observation.direction === 'provider-to-client' ? fromOpenAiServer(observation.message) : fromOpenAiClient(observation.message);
  return message === observation.message ? observation : { ...observation, message };
}

function fromOpenAiServer(message: Message): Message {
  switch (message.type) {
    case 'conversation.item.input_audio_transcription.completed':
      return { type: 'transcript.user', text: message.transcript };
    case 'response.output_audio_transcript.done':
      return { type: 'transcript.agent', text: message.transcript };
    case 'response.created':
      return { type: 'reply.started' };
    case 'response.done': {
      const response = isRecord(message.response) ? message.response : {};
      return { type: 'reply.done', ...(response.status === 'cancelled' ? { status: 'interrupted' } : {}) };
    }
    case 'response.output_item.done': {
      const item = isRecord(message.item) ? message.item : {};
      if (item.type !== 'function_call') return message;
      return { type: 'tool.call', call_id: item.call_id, name: item.name, arguments: parsedObject(item.arguments) };
    }
    case 'input_audio_buffer.speech_started':
      return { type: 'input.speech.started' };
    case 'input_audio_buffer.speech_stopped':
      return { type: 'input.speech.stopped' };
    case 'error': {
      const error = isRecord(message.error) ? message.error : {};
      return { type: 'session.error', code: error.code, message: error.message };
    }
    default:
      return message;
  }
}

function fromOpenAiClient(message: Message): Message {
  switch (message.type) {
    case 'conversation.item.create': {
      const item = isRecord(message.item) ? message.item : {};
      if (item.type !== 'function_call_output') return message;
      return { type: 'tool.result', call_id: item.call_id, result: item.output };
    }
    case 'session.update': {
      const session = isRecord(message.session) ? message.session : {};
      if (session.type !== 'realtime') return message;
      return {
        type: 'session.update',
        session: {
          ...(typeof session.instructions === 'string' ? { system_prompt: session.instructions } : {}),
          ...(session.tools !== undefined ? { tools: session.tools } : {}),
        },
      };
    }
    default:
      return message;
  }
}

function parsedObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
