import { formatBucket, formatCount, formatDateTime, formatDuration, formatMoney, formatMs, formatShare } from './format';

describe('formatDuration', () => {
  it('shows no value as a dash', () => {
    expect(formatDuration(null)).toBe('—');
  });

  it('shows under ten seconds to a tenth', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(2.46)).toBe(`${(2.5).toLocaleString()} s`);
    expect(formatDuration(9.94)).toBe(`${(9.9).toLocaleString()} s`);
  });

  it('shows whole seconds under a minute', () => {
    expect(formatDuration(10)).toBe('10 s');
    expect(formatDuration(48.4)).toBe('48 s');
    expect(formatDuration(59.4)).toBe('59 s');
  });

  it('shows minutes and zero-padded seconds from a minute on, rounding first', () => {
    expect(formatDuration(59.5)).toBe('1 min 00 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3725)).toBe('62 min 05 s');
  });
});

describe('formatMs', () => {
  it('shows milliseconds under a second and seconds to two places above', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(850.4)).toBe('850 ms');
    expect(formatMs(1000)).toBe('1.00 s');
    expect(formatMs(1234)).toBe('1.23 s');
  });
});

describe('formatMoney', () => {
  it('formats a currency Intl knows as the locale does', () => {
    expect(formatMoney(12.5, 'USD')).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(12.5));
  });

  it.each(['EURO', '', '€'])('still shows the figure for the code %p Intl refuses', (currency) => {
    expect(formatMoney(12.5, currency)).toBe(`12.50 ${currency}`);
  });
});

describe('formatCount and formatShare', () => {
  it('rounds counts to whole numbers', () => {
    expect(formatCount(1234.6)).toBe(formatCount(1235));
    expect(formatCount(1235)).toBe((1235).toLocaleString());
  });

  it('shows shares as percentages to a tenth', () => {
    expect(formatShare(0.12345)).toBe(formatShare(0.123));
    expect(formatShare(0.12345)).not.toBe(formatShare(0.12));
    expect(formatShare(1)).toContain('100');
  });
});

describe('formatDateTime', () => {
  it('takes a date or its ISO string alike', () => {
    const iso = '2025-11-17T09:30:00.000Z';
    expect(formatDateTime(iso)).toBe(formatDateTime(new Date(iso)));
  });
});

describe('formatBucket', () => {
  const start = '2025-11-17T09:00:00.000Z';
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, options).format(new Date(start));

  it('shows a day bucket as the day, whether or not the range spans days', () => {
    expect(formatBucket(start, 'day', false)).toBe(format({ month: 'short', day: 'numeric' }));
    expect(formatBucket(start, 'day', true)).toBe(formatBucket(start, 'day', false));
  });

  it('shows an hour bucket as the hour, with the weekday when the range spans days', () => {
    expect(formatBucket(start, 'hour', false)).toBe(format({ hour: '2-digit', minute: '2-digit' }));
    expect(formatBucket(start, 'hour', true)).toBe(format({ weekday: 'short', hour: '2-digit', minute: '2-digit' }));
    expect(formatBucket(start, 'hour', true)).not.toBe(formatBucket(start, 'hour', false));
  });
});
