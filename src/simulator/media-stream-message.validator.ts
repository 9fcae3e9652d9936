/** What a service may send to Twilio on a bidirectional Media Stream. */
export type ServiceMessage =
  | { event: 'media'; streamSid: string; media: { payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'clear'; streamSid: string };

export interface InspectedServiceFrame {
  /** Present when Twilio could still act on the frame (its event and essential fields are usable). */
  message?: ServiceMessage;
  violations: string[];
}

const ALLOWED_KEYS: Record<ServiceMessage['event'], { top: string[]; body?: { key: string; fields: string[] } }> = {
  media: { top: ['event', 'streamSid', 'media'], body: { key: 'media', fields: ['payload'] } },
  mark: { top: ['event', 'streamSid', 'mark'], body: { key: 'mark', fields: ['name'] } },
  clear: { top: ['event', 'streamSid'] },
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks one frame from the service against Twilio's rules: text JSON, known event, right streamSid, no extra fields. */
export function inspectServiceFrame(
  data: string | Buffer,
  isBinary: boolean,
  expectedStreamSid: string | undefined,
): InspectedServiceFrame {
  if (isBinary) {
    return { violations: [`binary frame (${byteLength(data)} bytes); Twilio accepts text frames only`] };
  }
  const text = typeof data === 'string' ? data : data.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { violations: [`frame is not JSON: ${preview(text)}`] };
  }
  if (!isRecord(parsed)) {
    return { violations: [`frame is not a JSON object: ${preview(text)}`] };
  }
  const event = parsed.event;
  if (event !== 'media' && event !== 'mark' && event !== 'clear') {
    return { violations: [`unknown event ${JSON.stringify(event ?? null)}: ${preview(text)}`] };
  }
  const violations = [...streamSidViolations(parsed.streamSid, expectedStreamSid, event), ...extraFieldViolations(parsed, event)];
  const body = bodyOf(parsed, event, violations);
  return body === undefined ? { violations } : { message: body, violations };
}

function streamSidViolations(streamSid: unknown, expected: string | undefined, event: string): string[] {
  if (expected === undefined) {
    return [`${event} sent before the stream started`];
  }
  if (streamSid === undefined) {
    return [`${event} without streamSid`];
  }
  return streamSid === expected ? [] : [`${event} with wrong streamSid ${JSON.stringify(streamSid)} (expected ${expected})`];
}

function extraFieldViolations(message: Record<string, unknown>, event: ServiceMessage['event']): string[] {
  const allowed = ALLOWED_KEYS[event];
  const extra = Object.keys(message).filter((key) => !allowed.top.includes(key));
  const body = allowed.body && message[allowed.body.key];
  if (allowed.body && isRecord(body)) {
    const fields = allowed.body.fields;
    extra.push(
      ...Object.keys(body)
        .filter((key) => !fields.includes(key))
        .map((key) => `${allowed.body?.key}.${key}`),
    );
  }
  return extra.length === 0 ? [] : [`${event} with extra fields: ${extra.join(', ')}`];
}

function bodyOf(message: Record<string, unknown>, event: ServiceMessage['event'], violations: string[]): ServiceMessage | undefined {
  const streamSid = String(message.streamSid);
  if (event === 'clear') {
    return { event, streamSid };
  }
  const body = message[event];
  if (event === 'media') {
    const payload = isRecord(body) ? body.payload : undefined;
    if (typeof payload !== 'string' || payload.length === 0 || !BASE64.test(payload)) {
      violations.push(`media without a base64 payload: ${preview(JSON.stringify(body ?? null))}`);
      return undefined;
    }
    return { event, streamSid, media: { payload } };
  }
  const name = isRecord(body) ? body.name : undefined;
  if (typeof name !== 'string' || name.length === 0) {
    violations.push(`mark without a name: ${preview(JSON.stringify(body ?? null))}`);
    return undefined;
  }
  return { event, streamSid, mark: { name } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byteLength(data: string | Buffer): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}
