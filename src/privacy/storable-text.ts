/**
 * Text and JSON as Postgres will take them, and no bigger than we mean to store. Tool
 * arguments and results can be anything the model or a backend produced; one NUL or one lone
 * surrogate makes Postgres refuse the whole call record, and one huge field can hold the
 * event loop that relays live audio. Everything here is linear in its input and never throws.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface CappedText {
  text: string;
  /** Set only when the text was cut: its length before the cut. */
  originalLength?: number;
}

export interface JsonLimits {
  /** Longest string (value or key) kept, in UTF-16 code units. */
  maxStringChars: number;
  /** Longest JSON text (as JSON.stringify writes it) the copy may take. */
  maxTotalChars: number;
  /** Containers nested deeper than this are replaced by a marker; the top-level one is depth 1. */
  maxDepth: number;
}

export interface BoundedJson {
  value: JsonValue;
  /** True when a string was cut or entries, deep containers or cycles were left out. */
  truncated: boolean;
  /** The input's JSON size, approximately: escapes not counted, a shared object counted once. */
  originalChars: number;
}

/** How a string (value or key) is made storable within maxChars; storableRedacted also redacts here. */
export type StringBounder = (text: string, maxChars: number) => CappedText;

// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const NUL = /\u0000/g;
// Without the u flag a regex sees UTF-16 code units, so this finds exactly the unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT_CHARACTER = '\uFFFD';

// Deeper recursion could overflow the stack, whatever limits a caller passes.
const DEPTH_CEILING = 100;
const OMITTED_KEY = '…';
const TOO_DEEP = '[nested too deep]';
const CIRCULAR = '[circular]';
// Kept free in every open container for its omission marker (at most 38 characters), so the
// copy stays within budget.
const MARKER_RESERVE = 48;

/** Postgres text and jsonb refuse NUL and (jsonb) unpaired surrogates; all else is kept. */
export function toStorableText(text: string): string {
  // Surrogates first, so removing a NUL cannot pair two halves that were apart.
  return text.replace(LONE_SURROGATE, REPLACEMENT_CHARACTER).replace(NUL, '');
}

/** The first maxChars code units, one fewer rather than half a surrogate pair. */
export function capText(text: string, maxChars: number): CappedText {
  const limit = nonNegativeLimit(maxChars);
  if (text.length <= limit) return { text };
  let end = limit;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  return { text: text.slice(0, end), originalLength: text.length };
}

/** boundedJson's default StringBounder; it cuts first so the work follows what is kept. */
export function storableCapped(text: string, maxChars: number): CappedText {
  const capped = capText(text, maxChars);
  return { ...capped, text: toStorableText(capped.text) };
}

/**
 * A copy of a JSON-like value that Postgres jsonb accepts and that fits the limits. Strings
 * (keys too) go through boundString; once the budget is spent the remaining entries of each
 * open container are replaced by one marker ("…": "N more entries omitted"). Values JSON has
 * no place for (functions, undefined, symbols, class instances) are dropped as
 * JSON.stringify drops them (null in arrays), Dates become their ISO string.
 */
export function boundedJson(value: unknown, limits: JsonLimits, boundString: StringBounder = storableCapped): BoundedJson {
  const copier = new BoundedCopier(limits, boundString);
  const copy = copier.copy(value, 1);
  return {
    value: copy === NO_ROOM || copy === DROPPED ? null : copy,
    truncated: copier.truncated || copy === NO_ROOM,
    originalChars: approximateJsonChars(value),
  };
}

const NO_ROOM = Symbol('no room');
const DROPPED = Symbol('dropped');
type Copied = JsonValue | typeof NO_ROOM | typeof DROPPED;

class BoundedCopier {
  truncated = false;
  private remaining: number;
  private readonly maxStringChars: number;
  private readonly maxDepth: number;
  private readonly ancestors = new Set<object>();
  // A shared object can be visited many times; its keys are listed once.
  private readonly keysByObject = new Map<object, string[]>();

  constructor(
    limits: JsonLimits,
    private readonly boundString: StringBounder,
  ) {
    this.remaining = nonNegativeLimit(limits.maxTotalChars);
    this.maxStringChars = nonNegativeLimit(limits.maxStringChars);
    this.maxDepth = Math.min(nonNegativeLimit(limits.maxDepth), DEPTH_CEILING);
  }

  copy(value: unknown, depth: number): Copied {
    switch (typeof value) {
      case 'string':
        return this.copyString(value);
      case 'number':
        return Number.isFinite(value) ? this.spend(String(value).length, value) : this.spend(4, null);
      case 'boolean':
        return this.spend(value ? 4 : 5, value);
      case 'object':
        return value === null ? this.spend(4, null) : this.copyObject(value, depth);
      default:
        return DROPPED;
    }
  }

  private copyObject(value: object, depth: number): Copied {
    try {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? this.spend(4, null) : this.copyString(value.toISOString());
      const isArray = Array.isArray(value);
      if (!isArray && !isPlainObject(value)) return DROPPED;
      if (this.ancestors.has(value)) return this.marked(CIRCULAR);
      if (depth > this.maxDepth) return this.marked(TOO_DEEP);
      if (this.remaining < 2 + MARKER_RESERVE) return NO_ROOM;
      this.remaining -= 2 + MARKER_RESERVE;
      this.ancestors.add(value);
      try {
        return isArray ? this.copyArrayItems(value as unknown[], depth) : this.copyObjectEntries(value as Record<string, unknown>, depth);
      } finally {
        this.ancestors.delete(value);
      }
    } catch {
      // A getter or proxy trap threw: the value is not JSON data.
      return DROPPED;
    }
  }

  private copyArrayItems(array: unknown[], depth: number): JsonValue[] {
    const items: JsonValue[] = [];
    let index = 0;
    for (; index < array.length; index++) {
      const before = this.remaining;
      if (items.length > 0 && !this.trySpend(1)) break;
      const item = this.copy(readItem(array, index), depth + 1);
      if (item === NO_ROOM) {
        this.remaining = before;
        break;
      }
      if (item === DROPPED && !this.trySpend(4)) {
        this.remaining = before;
        break;
      }
      items.push(item === DROPPED ? null : item);
    }
    this.remaining += MARKER_RESERVE;
    const omitted = array.length - index;
    if (omitted > 0) {
      this.truncated = true;
      const marker = `${OMITTED_KEY} ${omitted} more entries omitted`;
      this.remaining -= jsonStringChars(marker) + (items.length > 0 ? 1 : 0);
      items.push(marker);
    }
    return items;
  }

  private copyObjectEntries(object: Record<string, unknown>, depth: number): { [key: string]: JsonValue } {
    const keys = this.keysOf(object);
    const entries: [string, JsonValue][] = [];
    const keptKeys = new Set<string>();
    let index = 0;
    for (; index < keys.length; index++) {
      const item = readItem(object, keys[index]);
      if (isNotJson(item)) continue;
      const before = this.remaining;
      const key = this.copyKey(keys[index], entries.length > 0);
      if (key === NO_ROOM) break;
      if (keptKeys.has(key)) {
        // Keys that became equal once made storable (or redacted) would overwrite each other.
        this.truncated = true;
        this.remaining = before;
        continue;
      }
      const copied = this.copy(item, depth + 1);
      if (copied === NO_ROOM) {
        this.remaining = before;
        break;
      }
      if (copied === DROPPED) {
        this.remaining = before;
        continue;
      }
      keptKeys.add(key);
      entries.push([key, copied]);
    }
    this.remaining += MARKER_RESERVE;
    const omitted = keys.length - index;
    if (omitted > 0) {
      this.truncated = true;
      const marker = `${omitted} more entries omitted`;
      if (!keptKeys.has(OMITTED_KEY)) {
        this.remaining -= jsonStringChars(OMITTED_KEY) + 1 + jsonStringChars(marker) + (entries.length > 0 ? 1 : 0);
        entries.push([OMITTED_KEY, marker]);
      }
    }
    // fromEntries defines "__proto__" as an own key instead of setting the prototype.
    return Object.fromEntries(entries);
  }

  private copyKey(key: string, needsComma: boolean): string | typeof NO_ROOM {
    // Room for the key, its colon and at least the smallest value.
    const text = this.fitString(key, this.remaining - (needsComma ? 1 : 0) - 1 - 4);
    if (text === NO_ROOM) return NO_ROOM;
    this.remaining -= jsonStringChars(text) + 1 + (needsComma ? 1 : 0);
    return text;
  }

  private copyString(text: string): Copied {
    const fitted = this.fitString(text, this.remaining);
    if (fitted === NO_ROOM) return NO_ROOM;
    this.remaining -= jsonStringChars(fitted);
    return fitted;
  }

  /** The bounded string whose JSON form fits room, or NO_ROOM when not even part of it does. */
  private fitString(text: string, room: number): string | typeof NO_ROOM {
    if (room < (text.length > 0 ? 3 : 2)) return NO_ROOM;
    const bounded = this.boundString(text, Math.min(this.maxStringChars, room - 2));
    const end = jsonPrefixEnd(bounded.text, room);
    if (end === 0 && bounded.text.length > 0) return NO_ROOM;
    if (bounded.originalLength !== undefined || end < bounded.text.length) this.truncated = true;
    return end < bounded.text.length ? bounded.text.slice(0, end) : bounded.text;
  }

  private marked(marker: string): Copied {
    this.truncated = true;
    return this.copyString(marker);
  }

  private keysOf(object: Record<string, unknown>): string[] {
    let keys = this.keysByObject.get(object);
    if (!keys) {
      keys = Object.keys(object);
      this.keysByObject.set(object, keys);
    }
    return keys;
  }

  private spend<T extends JsonValue>(chars: number, value: T): T | typeof NO_ROOM {
    return this.trySpend(chars) ? value : NO_ROOM;
  }

  private trySpend(chars: number): boolean {
    if (chars > this.remaining) return false;
    this.remaining -= chars;
    return true;
  }
}

/**
 * Walks the whole input once (iteratively, so depth cannot overflow the stack), counting each
 * object once so shared references and cycles cannot blow the count up.
 */
function approximateJsonChars(root: unknown): number {
  let chars = 0;
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    switch (typeof value) {
      case 'string':
        chars += value.length + 2;
        break;
      case 'number':
        chars += Number.isFinite(value) ? String(value).length : 4;
        break;
      case 'boolean':
        chars += value ? 4 : 5;
        break;
      case 'object':
        chars += value === null ? 4 : containerChars(value, seen, pending);
        break;
      default:
        chars += 4;
    }
  }
  return chars;
}

function containerChars(value: object, seen: Set<object>, pending: unknown[]): number {
  if (seen.has(value)) return 0;
  seen.add(value);
  try {
    if (value instanceof Date) return 26;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) pending.push(readItem(value, index));
      return 2 + Math.max(0, value.length - 1);
    }
    if (!isPlainObject(value)) return 4;
    let chars = 2;
    let entries = 0;
    for (const key of Object.keys(value)) {
      const item = readItem(value as Record<string, unknown>, key);
      if (isNotJson(item)) continue;
      chars += key.length + 3 + (entries > 0 ? 1 : 0);
      entries++;
      pending.push(item);
    }
    return chars;
  } catch {
    return 4;
  }
}

/** Length of JSON.stringify(text[0..end)) for the largest end that fits maxJsonChars, never splitting a pair. */
function jsonPrefixEnd(text: string, maxJsonChars: number): number {
  let chars = 2;
  let end = 0;
  while (end < text.length) {
    const width = jsonEscapedWidth(text.charCodeAt(end));
    if (chars + width > maxJsonChars) break;
    chars += width;
    end++;
  }
  if (end < text.length && end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  return end;
}

function jsonStringChars(text: string): number {
  let chars = 2;
  for (let position = 0; position < text.length; position++) chars += jsonEscapedWidth(text.charCodeAt(position));
  return chars;
}

function jsonEscapedWidth(code: number): number {
  if (code === 0x22 || code === 0x5c) return 2;
  if (code >= 0x20) return 1;
  // \b \t \n \f \r have short escapes, other control characters take \u00XX.
  return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
}

function readItem(container: object, key: string | number): unknown {
  try {
    return (container as Record<string | number, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isNotJson(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint';
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function nonNegativeLimit(limit: number): number {
  return Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
