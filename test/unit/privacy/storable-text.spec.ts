import { boundedJson, capText, JsonLimits, toStorableText } from '../../../src/privacy/storable-text';

const HIGH = '\uD83D';
const LOW = '\uDE00';
const EMOJI = `${HIGH}${LOW}`;

function limits(overrides: Partial<JsonLimits> = {}): JsonLimits {
  return { maxStringChars: 1000, maxTotalChars: 10_000, maxDepth: 8, ...overrides };
}

function jsonChars(value: unknown): number {
  return JSON.stringify(value).length;
}

/** Postgres jsonb refuses \u0000 and surrogate escapes, which JSON.stringify writes only for unpaired halves. */
function postgresRefuses(value: unknown): boolean {
  return /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value));
}

describe('toStorableText', () => {
  it.each([
    ['a\u0000b', 'ab'],
    ['\u0000\u0000', ''],
    [`lone high ${HIGH} here`, 'lone high \uFFFD here'],
    [`lone low ${LOW} here`, 'lone low \uFFFD here'],
    [`${LOW}${HIGH}`, '\uFFFD\uFFFD'],
    [`ends on a high half ${HIGH}`, 'ends on a high half \uFFFD'],
    // Removing the NUL must not pair two halves that were apart.
    [`${HIGH}\u0000${LOW}`, '\uFFFD\uFFFD'],
  ])('makes %j storable', (input, expected) => {
    expect(postgresRefuses(input)).toBe(true);
    expect(toStorableText(input)).toBe(expected);
    expect(postgresRefuses(toStorableText(input))).toBe(false);
  });

  it.each([
    'tabs\tand\nnewlines\r\n',
    'Crème brûlée, São Paulo, Ærøskøbing',
    `emoji ${EMOJI} 👍🏽 👨‍👩‍👧`,
    '日本語のテキスト',
    'controls \u0001\u001f stay',
    '',
  ])('keeps %j as it is', (text) => {
    expect(toStorableText(text)).toBe(text);
  });

  it('cleans 5 MB quickly', () => {
    const text = `${'ab\u0000'.repeat(1_000_000)}${HIGH}${'x'.repeat(2_000_000)}`;
    const startedAt = performance.now();
    const storable = toStorableText(text);
    expect(performance.now() - startedAt).toBeLessThan(2000);
    expect(storable.length).toBe(4_000_001);
    expect(storable.includes('\u0000')).toBe(false);
  });
});

describe('capText', () => {
  it('leaves a text within the cap alone and unmarked', () => {
    expect(capText('hello', 5)).toEqual({ text: 'hello' });
  });

  it('cuts at exactly the cap and says how long the text was', () => {
    expect(capText('hello world', 5)).toEqual({ text: 'hello', originalLength: 11 });
  });

  it('cuts one short rather than keep half a surrogate pair', () => {
    expect(capText(`ab${EMOJI}cd`, 3)).toEqual({ text: 'ab', originalLength: 6 });
    expect(capText(`ab${EMOJI}cd`, 4)).toEqual({ text: `ab${EMOJI}`, originalLength: 6 });
  });

  it.each([0, -3, Number.NaN])('treats a cap of %p as nothing kept', (cap) => {
    expect(capText('abc', cap)).toEqual({ text: '', originalLength: 3 });
  });

  it('caps 5 MB without reading it', () => {
    const text = 'a'.repeat(5_000_000);
    const startedAt = performance.now();
    expect(capText(text, 1000)).toEqual({ text: 'a'.repeat(1000), originalLength: 5_000_000 });
    expect(performance.now() - startedAt).toBeLessThan(100);
  });
});

describe('boundedJson', () => {
  it('copies a small tool result as it is', () => {
    const result = { order_id: 'ORD-12345', status: 'shipped', items: [{ sku: 'A1', quantity: 2, price: 84.99 }], gift: false, note: null };
    const bounded = boundedJson(result, limits());
    expect(bounded).toEqual({ value: result, truncated: false, originalChars: jsonChars(result) });
    expect(bounded.value).not.toBe(result);
  });

  it('makes every string storable, keys included', () => {
    const bounded = boundedJson({ 'na\u0000me': `Jo\u0000e ${HIGH}`, list: ['\u0000', `${LOW}`] }, limits());
    expect(bounded.value).toEqual({ name: 'Joe \uFFFD', list: ['', '\uFFFD'] });
    expect(bounded.truncated).toBe(false);
    expect(postgresRefuses(bounded.value)).toBe(false);
  });

  it('caps each string at maxStringChars and marks the copy truncated', () => {
    const bounded = boundedJson({ short: 'abc', long: 'x'.repeat(5000) }, limits({ maxStringChars: 100 }));
    expect(bounded.value).toEqual({ short: 'abc', long: 'x'.repeat(100) });
    expect(bounded.truncated).toBe(true);
    expect(bounded.originalChars).toBeGreaterThan(5000);
  });

  it('keeps the JSON text within maxTotalChars and says how many array items it left out', () => {
    const items = Array.from({ length: 1000 }, (_, index) => ({ id: `ORD-${index}`, text: 'y'.repeat(50) }));
    const bounded = boundedJson({ items }, limits({ maxTotalChars: 2000 }));
    const kept = (bounded.value as { items: unknown[] }).items;
    expect(jsonChars(bounded.value)).toBeLessThanOrEqual(2000);
    expect(bounded.truncated).toBe(true);
    expect(kept.length).toBeGreaterThan(10);
    // The last item kept may have been cut to what was left of the budget.
    expect(kept.slice(0, -2)).toEqual(items.slice(0, kept.length - 2));
    expect(kept[kept.length - 1]).toBe(`… ${1000 - (kept.length - 1)} more entries omitted`);
  });

  it('keeps the JSON text within maxTotalChars and says how many object entries it left out', () => {
    const value = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`key${index}`, 'v'.repeat(20)]));
    const bounded = boundedJson(value, limits({ maxTotalChars: 500 }));
    const copy = bounded.value as Record<string, string>;
    const kept = Object.keys(copy).length - 1;
    expect(jsonChars(copy)).toBeLessThanOrEqual(500);
    expect(kept).toBeGreaterThan(5);
    expect(copy['…']).toBe(`${1000 - kept} more entries omitted`);
  });

  it('stays within budgets from tiny to large, whatever the shape', () => {
    const value = {
      text: 'a"b\\n'.repeat(300),
      list: [1, 'two', [3, { four: 4 }], null, true],
      nested: { deeper: { deepest: ['x'.repeat(100)] } },
    };
    for (let maxTotalChars = 0; maxTotalChars <= 2500; maxTotalChars += 7) {
      const bounded = boundedJson(value, limits({ maxTotalChars, maxStringChars: 300 }));
      expect(jsonChars(bounded.value)).toBeLessThanOrEqual(Math.max(maxTotalChars, 4));
    }
  });

  it('counts escapes against the budget', () => {
    const bounded = boundedJson(['"\\\n\u0001'.repeat(1000)], limits({ maxStringChars: 10_000, maxTotalChars: 500 }));
    expect(jsonChars(bounded.value)).toBeLessThanOrEqual(500);
    expect((bounded.value as string[])[0].length).toBeGreaterThan(50);
  });

  it('cuts a top-level string to the total budget', () => {
    const bounded = boundedJson('a'.repeat(10_000), limits({ maxStringChars: 5000, maxTotalChars: 1000 }));
    expect(bounded).toEqual({ value: 'a'.repeat(998), truncated: true, originalChars: 10_002 });
  });

  it('never splits a surrogate pair when cutting', () => {
    const bounded = boundedJson({ text: EMOJI.repeat(100) }, limits({ maxStringChars: 51 }));
    expect((bounded.value as { text: string }).text).toBe(EMOJI.repeat(25));
  });

  it('replaces containers deeper than maxDepth with a marker', () => {
    const deep = { level1: { level2: { level3: { level4: 'hidden' } } } };
    const bounded = boundedJson(deep, limits({ maxDepth: 3 }));
    expect(bounded.value).toEqual({ level1: { level2: { level3: '[nested too deep]' } } });
    expect(bounded.truncated).toBe(true);
  });

  it('marks a cycle instead of following it', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    node.children = [node, { parent: node }];
    const bounded = boundedJson(node, limits());
    expect(bounded.value).toEqual({ name: 'loop', self: '[circular]', children: ['[circular]', { parent: '[circular]' }] });
    expect(bounded.truncated).toBe(true);
  });

  it('copies a shared (not cyclic) object each time it appears, within the budget', () => {
    let level: unknown = 'leaf';
    for (let depth = 0; depth < 40; depth++) level = [level, level];
    const startedAt = performance.now();
    const bounded = boundedJson(level, limits({ maxDepth: 100, maxTotalChars: 5000 }));
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(jsonChars(bounded.value)).toBeLessThanOrEqual(5000);
    expect(bounded.truncated).toBe(true);
  });

  it('survives input nested far deeper than the stack', () => {
    let nested: unknown = 'bottom';
    for (let depth = 0; depth < 200_000; depth++) nested = { nested };
    const bounded = boundedJson(nested, limits({ maxDepth: 1_000_000, maxTotalChars: 1_000_000 }));
    expect(bounded.truncated).toBe(true);
    expect(bounded.originalChars).toBeGreaterThan(200_000 * 10);
    expect(jsonChars(bounded.value)).toBeLessThan(10_000);
  });

  it('drops what JSON has no place for, as JSON.stringify does', () => {
    class Customer {
      name = 'Jane';
    }
    const value = {
      fn: () => 1,
      missing: undefined,
      symbol: Symbol('s'),
      big: BigInt(1),
      instance: new Customer(),
      map: new Map(),
      kept: 1,
      list: [undefined, () => 1, 2],
    };
    expect(boundedJson(value, limits()).value).toEqual({ kept: 1, list: [null, null, 2] });
  });

  it('writes dates as JSON.stringify does and non-finite numbers as null', () => {
    const value = { at: new Date('2025-11-18T10:00:00.000Z'), invalid: new Date(Number.NaN), nan: Number.NaN, infinite: -Infinity };
    expect(boundedJson(value, limits()).value).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const copy = boundedJson(value, limits()).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
  });

  it('keeps the first of two keys that become equal once made storable', () => {
    const bounded = boundedJson({ key: 1, 'key\u0000': 2 }, limits());
    expect(bounded).toMatchObject({ value: { key: 1 }, truncated: true });
  });

  it('never throws, on getters that throw, revoked proxies or absurd limits', () => {
    const throwing = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(boundedJson({ throwing, proxy, after: 2 }, limits()).value).toEqual({ throwing: { ok: 1 }, after: 2 });
    for (const absurd of [0, -1, Number.NaN, Infinity]) {
      expect(() =>
        boundedJson({ a: ['b', { c: 'd' }] }, { maxStringChars: absurd, maxTotalChars: absurd, maxDepth: absurd }),
      ).not.toThrow();
    }
    expect(boundedJson({ a: 1 }, limits({ maxTotalChars: 10 }))).toEqual({ value: null, truncated: true, originalChars: 7 });
  });

  it('handles a 5 MB string and 100 KB per field quickly', () => {
    const fields = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`field${index}`, `${'a\u0000'.repeat(50_000)}`]));
    const value = { transcript: 'word '.repeat(1_000_000), fields, list: Array.from({ length: 100_000 }, (_, index) => index) };
    const startedAt = performance.now();
    const bounded = boundedJson(value, limits({ maxStringChars: 4000, maxTotalChars: 64_000 }));
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(jsonChars(bounded.value)).toBeLessThanOrEqual(64_000);
    expect(bounded.truncated).toBe(true);
    expect(bounded.originalChars).toBeGreaterThan(10_000_000);
  });
});
