import {
  DEFAULT_PRESET,
  fromLocalInput,
  parseRange,
  PresetKey,
  PRESETS,
  rangeQuery,
  RangeChoice,
  resolveRange,
  toLocalInput,
} from './timeRange';

const params = (text: string) => new URLSearchParams(text);
const FROM = '2025-11-17T09:30:00.000Z';
const TO = '2025-11-18T18:45:30.250Z';

describe('PRESETS', () => {
  it('offers each range once, shortest first, the default among them', () => {
    const keys = PRESETS.map((preset) => preset.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(PRESETS.map((preset) => preset.ms)).toEqual([...PRESETS.map((preset) => preset.ms)].sort((a, b) => a - b));
    expect(keys).toContain(DEFAULT_PRESET);
  });
});

describe('parseRange', () => {
  it('reads no range as the default preset', () => {
    expect(parseRange(params(''))).toEqual({ ok: true, choice: { kind: 'preset', preset: DEFAULT_PRESET } });
  });

  it.each(PRESETS.map((preset) => preset.key))('reads the preset %s', (preset) => {
    expect(parseRange(params(`range=${preset}`))).toEqual({ ok: true, choice: { kind: 'preset', preset } });
  });

  it.each(['2d', '24H', '', 'custom'])('refuses the unknown range %p, naming it', (range) => {
    expect(parseRange(params(`range=${range}`))).toEqual({ ok: false, problem: `"${range}" is not a range this page knows.` });
  });

  it('reads a custom range', () => {
    expect(parseRange(params(`from=${FROM}&to=${TO}`))).toEqual({
      ok: true,
      choice: { kind: 'custom', from: new Date(FROM), to: new Date(TO) },
    });
  });

  it('reads instants with an offset', () => {
    const parsed = parseRange(params(`from=${encodeURIComponent('2025-11-17T10:30:00+01:00')}&to=${TO}`));
    expect(parsed.ok && parsed.choice.kind === 'custom' && parsed.choice.from.toISOString()).toBe(FROM);
  });

  it('lets a custom range win over a preset in the same query', () => {
    expect(parseRange(params(`range=7d&from=${FROM}&to=${TO}`))).toMatchObject({ ok: true, choice: { kind: 'custom' } });
  });

  it.each([
    ['only a start', `from=${FROM}`],
    ['only an end', `to=${TO}`],
    ['an empty start', `from=&to=${TO}`],
    ['a start that is not a time', `from=yesterday&to=${TO}`],
    ['an end that is not a time', `from=${FROM}&to=2025-02-30T99:00`],
    ['a broken custom range beside a preset', `range=24h&from=${FROM}`],
  ])('refuses %s', (_what, query) => {
    expect(parseRange(params(query))).toEqual({ ok: false, problem: 'The custom range needs a valid start and end.' });
  });

  it.each([
    ['ends when it starts', `from=${FROM}&to=${FROM}`],
    ['ends before it starts', `from=${TO}&to=${FROM}`],
  ])('refuses a range that %s', (_what, query) => {
    expect(parseRange(params(query))).toEqual({ ok: false, problem: 'The start of the range must be before its end.' });
  });
});

describe('rangeQuery', () => {
  it('writes a preset as range and a custom range as ISO instants', () => {
    expect(rangeQuery({ kind: 'preset', preset: '7d' }).toString()).toBe('range=7d');
    expect(Object.fromEntries(rangeQuery({ kind: 'custom', from: new Date(FROM), to: new Date(TO) }))).toEqual({ from: FROM, to: TO });
  });

  it.each<RangeChoice>([
    ...PRESETS.map((preset): RangeChoice => ({ kind: 'preset', preset: preset.key })),
    { kind: 'custom', from: new Date(FROM), to: new Date(TO) },
  ])('round-trips %p through parseRange', (choice) => {
    expect(parseRange(params(rangeQuery(choice).toString()))).toEqual({ ok: true, choice });
  });
});

describe('resolveRange', () => {
  const now = Date.parse(TO);

  it.each(PRESETS)('ends $key at now and starts it $ms ms earlier', ({ key, ms }) => {
    expect(resolveRange({ kind: 'preset', preset: key }, now)).toEqual({ from: new Date(now - ms), to: new Date(now) });
  });

  it('gives the last 24 hours for the 24h preset', () => {
    expect(resolveRange({ kind: 'preset', preset: '24h' }, now).from.toISOString()).toBe('2025-11-17T18:45:30.250Z');
  });

  it('gives a custom range as it is, whatever the time', () => {
    const choice: RangeChoice = { kind: 'custom', from: new Date(FROM), to: new Date(TO) };
    expect(resolveRange(choice, 0)).toEqual({ from: new Date(FROM), to: new Date(TO) });
  });

  it('falls back to 24 hours for a preset it does not know', () => {
    const { from, to } = resolveRange({ kind: 'preset', preset: '90d' as PresetKey }, now);
    expect(to.getTime() - from.getTime()).toBe(24 * 60 * 60 * 1000);
  });
});

describe('toLocalInput and fromLocalInput', () => {
  // Dates built from local fields, so the tests hold in any time zone.
  it('shows a date in local time, to the minute, zero-padded', () => {
    expect(toLocalInput(new Date(2025, 0, 2, 3, 4, 59))).toBe('2025-01-02T03:04');
    expect(toLocalInput(new Date(2025, 11, 31, 23, 59))).toBe('2025-12-31T23:59');
  });

  it('reads an input value as local time, with or without seconds', () => {
    expect(fromLocalInput('2025-01-02T03:04')).toEqual(new Date(2025, 0, 2, 3, 4));
    expect(fromLocalInput('2025-01-02T03:04:05')).toEqual(new Date(2025, 0, 2, 3, 4, 5));
  });

  it.each(['', '2025-01-02', '2025-1-2T3:04', 'tomorrow', '03:04', '2025-13-40T25:61'])('reads %p as no time', (value) => {
    expect(fromLocalInput(value)).toBeUndefined();
  });

  it('round-trips a date on a whole minute', () => {
    const date = new Date(2025, 5, 15, 14, 30);
    expect(fromLocalInput(toLocalInput(date))).toEqual(date);
  });
});
