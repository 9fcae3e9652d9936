import { asObject, Checked, missingParameter, problem, RealtimeProblem, typeError, unknownField } from './local-openai-session.validator';

// How the local OpenAI-compatible server judges the client events it accepts (PROTOCOL-OPENAI.md),
// and the convention by which a response.create says what to speak.

const CLIENT_EVENT_FIELDS = {
  'session.update': ['session'],
  'input_audio_buffer.append': ['audio'],
  'input_audio_buffer.commit': [],
  'input_audio_buffer.clear': [],
  'conversation.item.create': ['previous_item_id', 'item'],
  'conversation.item.truncate': ['item_id', 'content_index', 'audio_end_ms'],
  'conversation.item.delete': ['item_id'],
  'response.create': ['response'],
  'response.cancel': ['response_id'],
} as const;

export type ClientEventType = keyof typeof CLIENT_EVENT_FIELDS;

const RESPONSE_FIELDS = [
  'output_modalities',
  'instructions',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'conversation',
  'metadata',
  'prompt',
  'input',
];

// The content part types a history item may carry, by role (assistant audio cannot be seeded).
const PART_TYPES: Record<MessageRole, readonly string[]> = {
  system: ['input_text'],
  user: ['input_text', 'input_audio'],
  assistant: ['output_text'],
};
const PART_FIELDS: Record<string, readonly string[]> = {
  input_text: ['type', 'text'],
  output_text: ['type', 'text'],
  input_audio: ['type', 'audio', 'transcript'],
};
const ITEM_STATUSES = ['completed', 'incomplete', 'in_progress'];

export type MessageRole = 'system' | 'user' | 'assistant';

export type NewConversationItem =
  | { type: 'message'; id?: string; role: MessageRole; content: Record<string, unknown>[]; text: string }
  | { type: 'function_call_output'; id?: string; call_id: string; output: string }
  | { type: 'function_call'; id?: string; call_id: string; name: string; arguments: string };

export interface TruncateRequest {
  item_id: string;
  content_index: number;
  audio_end_ms: number;
}

export function checkClientEvent(message: Record<string, unknown>): Checked<ClientEventType> {
  const type = message.type;
  if (typeof type !== 'string') return { ok: false, problem: missingParameter('type') };
  if (!Object.hasOwn(CLIENT_EVENT_FIELDS, type)) {
    return {
      ok: false,
      problem: problem(
        'invalid_value',
        `Invalid value: '${type}'. Supported values are: ${Object.keys(CLIENT_EVENT_FIELDS).join(', ')}.`,
        'type',
      ),
    };
  }
  const eventType = type as ClientEventType;
  const unknown = unknownTopLevelField(message, ['type', 'event_id', ...CLIENT_EVENT_FIELDS[eventType]]);
  if (unknown) return { ok: false, problem: unknown };
  if (message.event_id !== undefined && typeof message.event_id !== 'string') {
    return { ok: false, problem: typeError('event_id', 'a string') };
  }
  return { ok: true, value: eventType };
}

export function checkResponseCreate(raw: unknown): Checked<{ instructions?: string }> {
  if (raw === undefined) return { ok: true, value: {} };
  const response = asObject(raw);
  if (!response) return { ok: false, problem: typeError('response', 'an object') };
  const unknown = unknownField(response, RESPONSE_FIELDS, 'response');
  if (unknown) return { ok: false, problem: unknown };
  if (response.instructions !== undefined && typeof response.instructions !== 'string') {
    return { ok: false, problem: typeError('response.instructions', 'a string') };
  }
  return { ok: true, value: { instructions: response.instructions as string | undefined } };
}

export function checkConversationItem(raw: unknown): Checked<NewConversationItem> {
  if (raw === undefined) return fail(missingParameter('item'));
  const item = asObject(raw);
  if (!item) return fail(typeError('item', 'an object'));
  if (item.id !== undefined && (typeof item.id !== 'string' || item.id === '')) return fail(typeError('item.id', 'a non-empty string'));
  if (item.object !== undefined && item.object !== 'realtime.item') {
    return fail(problem('invalid_value', "item.object must be 'realtime.item'.", 'item.object'));
  }
  if (item.status !== undefined && !ITEM_STATUSES.includes(item.status as string)) {
    return fail(problem('invalid_value', `item.status must be one of ${ITEM_STATUSES.join(', ')}.`, 'item.status'));
  }
  const id = item.id as string | undefined;
  const common = ['id', 'object', 'type', 'status'];
  switch (item.type) {
    case undefined:
      return fail(missingParameter('item.type'));
    case 'function_call_output': {
      const found =
        unknownField(item, [...common, 'call_id', 'output'], 'item') ??
        requiredString(item, 'call_id') ??
        requiredString(item, 'output', true);
      if (found) return fail(found);
      return { ok: true, value: { type: 'function_call_output', id, call_id: item.call_id as string, output: item.output as string } };
    }
    case 'function_call': {
      const found =
        unknownField(item, [...common, 'call_id', 'name', 'arguments'], 'item') ??
        requiredString(item, 'call_id') ??
        requiredString(item, 'name') ??
        requiredString(item, 'arguments', true);
      if (found) return fail(found);
      return {
        ok: true,
        value: {
          type: 'function_call',
          id,
          call_id: item.call_id as string,
          name: item.name as string,
          arguments: item.arguments as string,
        },
      };
    }
    case 'message':
      return checkMessage(item, id, common);
    default:
      return fail(
        problem(
          'invalid_value',
          `Invalid value: ${JSON.stringify(item.type)}. The local server accepts 'message', 'function_call' and 'function_call_output' items.`,
          'item.type',
        ),
      );
  }
}

export function checkTruncate(message: Record<string, unknown>): Checked<TruncateRequest> {
  for (const key of ['item_id', 'content_index', 'audio_end_ms']) {
    if (message[key] === undefined) return fail(missingParameter(key));
  }
  if (typeof message.item_id !== 'string') return fail(typeError('item_id', 'a string'));
  for (const key of ['content_index', 'audio_end_ms']) {
    if (!Number.isInteger(message[key]) || (message[key] as number) < 0) {
      return fail(problem('invalid_value', `${key} must be a non-negative integer.`, key));
    }
  }
  return {
    ok: true,
    value: { item_id: message.item_id, content_index: message.content_index as number, audio_end_ms: message.audio_end_ms as number },
  };
}

/**
 * The greeting convention: GA has no greeting field, so the client asks for one with
 * response.create whose instructions contain `Say exactly: "<text>"` (straight or curly quotes);
 * the local agent then speaks <text> word for word.
 */
export function spokenTextOf(instructions: string | undefined): string | undefined {
  if (!instructions) return undefined;
  const quoted = /say exactly\s*:?\s*(?:"([^"]+)"|“([^”]+)”)/i.exec(instructions);
  const text = (quoted?.[1] ?? quoted?.[2])?.trim();
  return text ? text : undefined;
}

// ---------- helpers ----------

function checkMessage(item: Record<string, unknown>, id: string | undefined, common: string[]): Checked<NewConversationItem> {
  const unknown = unknownField(item, [...common, 'role', 'content'], 'item');
  if (unknown) return fail(unknown);
  if (item.role === undefined) return fail(missingParameter('item.role'));
  if (item.role !== 'system' && item.role !== 'user' && item.role !== 'assistant') {
    return fail(problem('invalid_value', "item.role must be 'system', 'user' or 'assistant'.", 'item.role'));
  }
  const role: MessageRole = item.role;
  if (!Array.isArray(item.content)) return fail(missingParameter('item.content'));
  const texts: string[] = [];
  for (const [index, entry] of item.content.entries()) {
    const param = `item.content[${index}]`;
    const part = asObject(entry);
    if (!part) return fail(typeError(param, 'an object'));
    if (!PART_TYPES[role].includes(part.type as string)) {
      return fail(
        problem(
          'invalid_value',
          `Invalid value: ${JSON.stringify(part.type)}. A ${role} message accepts ${PART_TYPES[role].join(', ')} content.`,
          `${param}.type`,
        ),
      );
    }
    const found = unknownField(part, PART_FIELDS[part.type as string], param);
    if (found) return fail(found);
    if (part.type === 'input_audio') {
      if (typeof part.audio !== 'string') return fail(typeError(`${param}.audio`, 'a base64 string'));
      if (part.transcript !== undefined && part.transcript !== null && typeof part.transcript !== 'string') {
        return fail(typeError(`${param}.transcript`, 'a string or null'));
      }
      if (typeof part.transcript === 'string') texts.push(part.transcript);
    } else {
      if (typeof part.text !== 'string') return fail(typeError(`${param}.text`, 'a string'));
      texts.push(part.text);
    }
  }
  return { ok: true, value: { type: 'message', id, role, content: item.content as Record<string, unknown>[], text: texts.join(' ') } };
}

function unknownTopLevelField(message: Record<string, unknown>, allowed: readonly string[]): RealtimeProblem | undefined {
  const key = Object.keys(message).find((candidate) => !allowed.includes(candidate));
  return key === undefined ? undefined : problem('unknown_parameter', `Unknown parameter: '${key}'.`, key);
}

function requiredString(item: Record<string, unknown>, key: string, emptyAllowed = false): RealtimeProblem | undefined {
  if (item[key] === undefined) return missingParameter(`item.${key}`);
  if (typeof item[key] !== 'string' || (!emptyAllowed && item[key] === '')) return typeError(`item.${key}`, 'a string');
  return undefined;
}

function fail<T>(found: RealtimeProblem): Checked<T> {
  return { ok: false, problem: found };
}
