import {
  badgeClass,
  BROKEN_RESPONSE_MS,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatOffset,
  formatTime,
  humanise,
  latencyTone,
  outcomeTone,
  secondsBetween,
  SLOW_RESPONSE_MS,
  statusTone,
  truncateWords,
} from './format';

describe('latencyTone', () => {
  it('is good up to the slow mark, a warning up to the broken mark, bad beyond', () => {
    expect(latencyTone(0)).toBe('good');
    expect(latencyTone(SLOW_RESPONSE_MS)).toBe('good');
    expect(latencyTone(SLOW_RESPONSE_MS + 1)).toBe('warn');
    expect(latencyTone(BROKEN_RESPONSE_MS)).toBe('warn');
    expect(latencyTone(BROKEN_RESPONSE_MS + 1)).toBe('bad');
  });
});

describe('formatLatency', () => {
  it.each([
    [0, '0 ms'],
    [849.6, '850 ms'],
    [999.4, '999 ms'],
    [1000, '1.0 s'],
    [2449, '2.4 s'],
    [9949, '9.9 s'],
    [10_000, '10 s'],
    [12_600, '13 s'],
  ])('shows %p ms as %p', (ms, shown) => {
    expect(formatLatency(ms)).toBe(shown);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [42, '0:42'],
    [59.9, '0:59'],
    [60, '1:00'],
    [725, '12:05'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3729, '1:02:09'],
    [36_000, '10:00:00'],
  ])('shows %p s as %p', (seconds, shown) => {
    expect(formatDuration(seconds)).toBe(shown);
  });

  it('shows a negative duration (a clock behind the server) as zero', () => {
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('secondsBetween', () => {
  it('counts whole seconds from an instant to a time in ms', () => {
    expect(secondsBetween('2025-11-17T09:30:00.000Z', Date.parse('2025-11-17T09:31:05.900Z'))).toBe(65);
  });

  it('is never negative', () => {
    expect(secondsBetween('2025-11-17T09:30:00.000Z', Date.parse('2025-11-17T09:29:00.000Z'))).toBe(0);
  });
});

describe('formatDateTime and formatTime', () => {
  it('formats a valid instant in the reader’s locale', () => {
    const iso = '2025-11-17T09:30:05.000Z';
    expect(formatDateTime(iso)).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso)),
    );
    expect(formatTime(iso)).toBe(new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(new Date(iso)));
  });

  it('shows what it cannot read as it came', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(formatTime('')).toBe('');
  });
});

describe('formatOffset', () => {
  it('shows the time since the start of the call', () => {
    expect(formatOffset('2025-11-17T09:31:05.000Z', '2025-11-17T09:30:00.000Z')).toBe('+1:05');
    expect(formatOffset('2025-11-17T09:30:00.000Z', '2025-11-17T09:30:00.000Z')).toBe('+0:00');
    expect(formatOffset('2025-11-17T10:32:09.000Z', '2025-11-17T09:30:00.000Z')).toBe('+1:02:09');
  });

  it('is empty when either instant cannot be read', () => {
    expect(formatOffset('garbage', '2025-11-17T09:30:00.000Z')).toBe('');
    expect(formatOffset('2025-11-17T09:30:00.000Z', '')).toBe('');
  });
});

describe('tones', () => {
  it.each([
    ['resolved', 'good'],
    ['escalated', 'warn'],
    ['failed', 'bad'],
    ['abandoned', 'neutral'],
    [null, 'neutral'],
  ] as const)('gives the outcome %p the tone %p', (outcome, tone) => {
    expect(outcomeTone(outcome)).toBe(tone);
  });

  it('gives a live call the good tone and the others none', () => {
    expect(statusTone('live')).toBe('good');
    expect(statusTone('ended')).toBe('neutral');
    expect(statusTone('summarised')).toBe('neutral');
  });

  it('adds the tone to the badge class unless it is neutral', () => {
    expect(badgeClass('neutral')).toBe('badge');
    expect(badgeClass('warn')).toBe('badge warn');
  });
});

describe('humanise', () => {
  it.each([
    ['twilio-stop', 'Twilio stop'],
    ['caller_hangup', 'Caller hangup'],
    ['NOT_A_TARGET', 'NOT A TARGET'],
    ['provider.error', 'Provider error'],
    ['-leading--and__trailing-', 'Leading and trailing'],
    ['', ''],
  ])('reads %p as %p', (value, shown) => {
    expect(humanise(value)).toBe(shown);
  });
});

describe('truncateWords', () => {
  it('keeps a short text whole, with its whitespace flattened', () => {
    expect(truncateWords('  Hello,\n  how   are you? ', 40)).toBe('Hello, how are you?');
  });

  it('keeps a text exactly at the limit', () => {
    expect(truncateWords('abcde', 5)).toBe('abcde');
  });

  it('cuts at the last word boundary near the end, with an ellipsis, within the limit', () => {
    const cut = truncateWords('The quick brown foxes jump over the lazy dog', 20);
    expect(cut).toBe('The quick brown…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('drops punctuation left dangling at the cut', () => {
    expect(truncateWords('Your refund, which was approved, will arrive soon', 14)).toBe('Your refund…');
  });

  it('cuts inside a word when no boundary is near', () => {
    const cut = truncateWords('Supercalifragilisticexpialidocious indeed', 12);
    expect(cut).toBe('Supercalifr…');
    expect(cut).toHaveLength(12);
  });
});
