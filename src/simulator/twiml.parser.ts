import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';

export interface StreamInstruction {
  url: string;
  name?: string;
  parameters: Record<string, string>;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(codePoint) ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

export function parseXmlAttributes(attributeText: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of attributeText.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]] = decodeXmlEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

/**
 * Reads the bidirectional stream out of a webhook answer. Only `<Connect><Stream>` counts:
 * `<Start><Stream>` is a one-way fork that never carries audio back to the caller.
 */
export function parseConnectStreamTwiml(xml: string): StreamInstruction {
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<Response\b/.test(withoutComments)) {
    throw badTwiml('no <Response> element', xml);
  }
  const connect = /<Connect\b[^>]*>([\s\S]*?)<\/Connect>/.exec(withoutComments);
  if (!connect) {
    throw badTwiml('no <Connect> element', xml);
  }
  const stream = /<Stream\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/>|>([\s\S]*?)<\/Stream>)/.exec(connect[1]);
  if (!stream) {
    throw badTwiml('no <Stream> inside <Connect>', xml);
  }
  const attributes = parseXmlAttributes(stream[1]);
  const url = attributes.url;
  if (!url || !/^wss?:\/\//i.test(url)) {
    throw badTwiml(`<Stream url> must be an absolute ws(s):// URL, got ${JSON.stringify(url ?? null)}`, xml);
  }
  return { url, name: attributes.name, parameters: parseStreamParameters(stream[3] ?? '') };
}

function parseStreamParameters(streamBody: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const match of streamBody.matchAll(/<Parameter\b((?:[^>"']|"[^"]*"|'[^']*')*?)\/?>/g)) {
    const { name, value } = parseXmlAttributes(match[1]);
    if (name !== undefined) {
      parameters[name] = value ?? '';
    }
  }
  return parameters;
}

function badTwiml(reason: string, xml: string): SimulatorException {
  return new SimulatorException(SimulatorExceptionCode.BAD_TWIML, `TwiML: ${reason}: ${xml.slice(0, 300)}`);
}
