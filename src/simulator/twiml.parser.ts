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

/*
 * TwiML a live call runs after a REST update (`calls(sid).update({ twiml })`) or a Dial action
 * answers: the verbs the simulator acts on, in document order. Anything else is kept as
 * `Unsupported` so a caller can report it instead of guessing.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export type DialTargetKind = 'number' | 'sip' | 'client' | 'conference' | 'queue';

export interface DialTarget {
  kind: DialTargetKind;
  address: string;
  /** TwiML requested for the called party once they answer (the whisper), and its method. */
  url?: string;
  method: string;
}

export interface DialInstruction {
  action?: string;
  method: string;
  /** Twilio's default is 30 s. */
  timeoutSeconds: number;
  callerId?: string;
  targets: DialTarget[];
}

export interface EnqueueInstruction {
  queue: string;
  action?: string;
  waitUrl?: string;
  workflowSid?: string;
  /** The <Task> body as written (TaskRouter attributes, JSON). */
  task?: string;
  /** The <Task> body parsed, when it is JSON. */
  taskAttributes?: unknown;
}

export type TwimlVerb =
  | { verb: 'Say'; text: string }
  | { verb: 'Play'; url: string }
  | { verb: 'Pause'; seconds: number }
  | { verb: 'Dial'; dial: DialInstruction }
  | { verb: 'Enqueue'; enqueue: EnqueueInstruction }
  | { verb: 'Connect'; stream: StreamInstruction }
  | { verb: 'Hangup' }
  | { verb: 'Reject'; reason?: string }
  | { verb: 'Unsupported'; name: string };

const DEFAULT_DIAL_TIMEOUT_SECONDS = 30;
const DIAL_NOUNS: Record<string, DialTargetKind> = {
  Number: 'number',
  Sip: 'sip',
  Client: 'client',
  Conference: 'conference',
  Queue: 'queue',
};

export function parseCallTwiml(xml: string): TwimlVerb[] {
  const root = parseXmlDocument(xml);
  if (root.name !== 'Response') {
    throw badTwiml(`the root element is <${root.name}>, not <Response>`, xml);
  }
  return childElements(root).map((element) => toVerb(element, xml));
}

function toVerb(element: XmlElement, xml: string): TwimlVerb {
  switch (element.name) {
    case 'Say':
      return { verb: 'Say', text: textOf(element) };
    case 'Play':
      return { verb: 'Play', url: textOf(element) };
    case 'Pause':
      return { verb: 'Pause', seconds: positiveNumber(element.attributes.length, 1) };
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Reject':
      return { verb: 'Reject', reason: element.attributes.reason };
    case 'Dial':
      return { verb: 'Dial', dial: toDial(element, xml) };
    case 'Enqueue':
      return { verb: 'Enqueue', enqueue: toEnqueue(element, xml) };
    case 'Connect': {
      const stream = childElements(element).find((child) => child.name === 'Stream');
      return stream ? { verb: 'Connect', stream: toStream(stream, xml) } : { verb: 'Unsupported', name: 'Connect' };
    }
    default:
      return { verb: 'Unsupported', name: element.name };
  }
}

function toDial(element: XmlElement, xml: string): DialInstruction {
  const nouns = childElements(element).filter((child) => DIAL_NOUNS[child.name] !== undefined);
  const bareNumber = textOf(element);
  const targets: DialTarget[] = nouns.map((noun) => ({
    kind: DIAL_NOUNS[noun.name],
    address: textOf(noun),
    url: noun.attributes.url || undefined,
    method: (noun.attributes.method ?? 'POST').toUpperCase(),
  }));
  if (targets.length === 0 && bareNumber !== '') {
    targets.push({ kind: 'number', address: bareNumber, method: 'POST' });
  }
  if (targets.length === 0) {
    throw badTwiml('<Dial> with nothing to dial', xml);
  }
  return {
    action: element.attributes.action || undefined,
    method: (element.attributes.method ?? 'POST').toUpperCase(),
    timeoutSeconds: positiveNumber(element.attributes.timeout, DEFAULT_DIAL_TIMEOUT_SECONDS),
    callerId: element.attributes.callerId || undefined,
    targets,
  };
}

function toEnqueue(element: XmlElement, xml: string): EnqueueInstruction {
  const queue = textOf(element);
  const task = childElements(element).find((child) => child.name === 'Task');
  const workflowSid = element.attributes.workflowSid || undefined;
  if (queue === '' && !workflowSid) {
    throw badTwiml('<Enqueue> names no queue and no workflowSid', xml);
  }
  const taskText = task ? textOf(task) : undefined;
  return {
    queue,
    action: element.attributes.action || undefined,
    waitUrl: element.attributes.waitUrl || undefined,
    workflowSid,
    task: taskText,
    taskAttributes: taskText === undefined ? undefined : parseJsonOrUndefined(taskText),
  };
}

function toStream(element: XmlElement, xml: string): StreamInstruction {
  const url = element.attributes.url;
  if (!url || !/^wss?:\/\//i.test(url)) {
    throw badTwiml(`<Stream url> must be an absolute ws(s):// URL, got ${JSON.stringify(url ?? null)}`, xml);
  }
  const parameters: Record<string, string> = {};
  for (const parameter of childElements(element).filter((child) => child.name === 'Parameter')) {
    if (parameter.attributes.name !== undefined) {
      parameters[parameter.attributes.name] = parameter.attributes.value ?? '';
    }
  }
  return { url, name: element.attributes.name, parameters };
}

/** A small non-validating XML reader: elements, attributes, text, CDATA; comments and declarations skipped. */
export function parseXmlDocument(xml: string): XmlElement {
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const open: XmlElement[] = [root];
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml);
    if (!match) {
      throw badTwiml(`unreadable XML at offset ${at}`, xml);
    }
    const [, cdata, closing, name, attributeText, selfClosing, text] = match;
    const parent = open[open.length - 1];
    if (cdata !== undefined) {
      parent.children.push(cdata);
    } else if (text !== undefined) {
      parent.children.push(decodeXmlEntities(text));
    } else if (name !== undefined && closing) {
      if (parent.name !== name) {
        throw badTwiml(`</${name}> closes <${parent.name}>`, xml);
      }
      open.pop();
    } else if (name !== undefined) {
      const element: XmlElement = { name, attributes: parseXmlAttributes(attributeText ?? ''), children: [] };
      parent.children.push(element);
      if (!selfClosing) {
        open.push(element);
      }
    }
  }
  if (open.length > 1) {
    throw badTwiml(`<${open[open.length - 1].name}> is never closed`, xml);
  }
  const elements = childElements(root);
  const stray = root.children.some((child) => typeof child === 'string' && child.trim() !== '');
  if (elements.length !== 1 || stray) {
    throw badTwiml('not one XML document element', xml);
  }
  return elements[0];
}

function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string');
}

/** The element's own text (not its children's), trimmed. */
function textOf(element: XmlElement): string {
  return element.children
    .filter((child): child is string => typeof child === 'string')
    .join('')
    .trim();
}

function positiveNumber(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
