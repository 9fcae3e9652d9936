export const TRACE_ATTRIBUTE_NAMES = [
  'call.sid',
  'call.department',
  'call.provider',
  'call.end_reason',
  'call.outcome',
  'turn.number',
  'turn.measured_from',
  'turn.response_latency_ms',
  'turn.answer_latency_ms',
  'turn.answered',
  'turn.tools_ms',
  'turn.handoffs_ms',
  'turn.other_ms',
  'tool.name',
  'tool.call_id',
  'tool.ok',
  'tool.duration_ms',
  'handoff.from',
  'handoff.to',
  'handoff.status',
  'handoff.latency_ms',
  'escalation.cause',
  'escalation.trigger',
  'escalation.result',
  'job.name',
  'job.id',
  'job.result',
  'job.attempt',
] as const;

export type TraceAttributeName = (typeof TRACE_ATTRIBUTE_NAMES)[number];
export type TraceAttributeValue = string | number | boolean;
export type TraceAttributes = Partial<Record<TraceAttributeName, TraceAttributeValue>>;

const KNOWN_NAMES: ReadonlySet<string> = new Set(TRACE_ATTRIBUTE_NAMES);
const MAX_STRING_LENGTH = 128;
const CODE_SHAPED = /^[\w.:@/+-]*$/;
const EMAIL_SHAPED = /[^@]+@[^@]+\.[a-z]{2,}$/i;
const DIGITS_AND_SEPARATORS = /^[\d\s().+-]+$/;
const INTERNATIONAL_NUMBER = /\+\d{7,}/;
// Latencies, counts and attempts; a phone number stored as a number is far larger.
const MAX_NUMBER_MAGNITUDE = 1e9;

/** Ids, department keys, tool names and codes: never words, an email or a phone number. */
export function safeTraceString(value: string): string | undefined {
  if (value.length > MAX_STRING_LENGTH || !CODE_SHAPED.test(value)) return undefined;
  if (EMAIL_SHAPED.test(value) || looksLikePhoneNumber(value)) return undefined;
  return value;
}

function looksLikePhoneNumber(value: string): boolean {
  if (INTERNATIONAL_NUMBER.test(value)) return true;
  return DIGITS_AND_SEPARATORS.test(value) && value.replace(/\D/g, '').length >= 7;
}

function safeTraceValue(value: unknown): TraceAttributeValue | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) < MAX_NUMBER_MAGNITUDE ? value : undefined;
  if (typeof value === 'string') return safeTraceString(value);
  return undefined;
}

/** The one way attributes reach a span: known names only, and values that cannot carry a caller's words or contact details. */
export function safeTraceAttributes(input: Readonly<Record<string, unknown>>): TraceAttributes {
  const safe: Record<string, TraceAttributeValue> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!KNOWN_NAMES.has(name)) continue;
    const kept = safeTraceValue(value);
    if (kept !== undefined) safe[name] = kept;
  }
  return safe as TraceAttributes;
}
