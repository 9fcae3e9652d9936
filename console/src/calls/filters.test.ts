import { ApiError, FieldError } from '../api/client';
import {
  apiQueryOf,
  CallFilters,
  DEFAULT_PAGE_SIZE,
  fieldErrorsOf,
  filtersOf,
  hasFilters,
  isoOfLocalInput,
  localInputOf,
  PAGE_SIZES,
  rangeLabel,
  searchParamsOf,
} from './filters';
import { CALL_OUTCOMES } from './types';

const DEFAULTS: CallFilters = { callSid: '', from: '', to: '', department: '', outcome: '', page: 1, pageSize: DEFAULT_PAGE_SIZE };

const FULL: CallFilters = {
  callSid: 'CA0123456789abcdef',
  from: '2025-11-17T09:30:00.000Z',
  to: '2025-11-18T09:30:00.000Z',
  department: 'billing',
  outcome: 'escalated',
  page: 3,
  pageSize: 50,
};

const query = (text: string) => filtersOf(new URLSearchParams(text));

describe('filtersOf and searchParamsOf', () => {
  it('reads an empty query string as the defaults, and writes the defaults as an empty one', () => {
    expect(query('')).toEqual(DEFAULTS);
    expect(searchParamsOf(DEFAULTS).toString()).toBe('');
  });

  it('writes only what differs from the defaults', () => {
    expect(searchParamsOf({ ...DEFAULTS, department: 'refund' }).toString()).toBe('department=refund');
    expect(searchParamsOf({ ...DEFAULTS, page: 2 }).toString()).toBe('page=2');
    expect(searchParamsOf({ ...DEFAULTS, pageSize: 100 }).toString()).toBe('pageSize=100');
  });

  it.each<[string, CallFilters]>([
    ['the defaults', DEFAULTS],
    ['every filter', FULL],
    ['one filter', { ...DEFAULTS, outcome: 'failed' }],
    ['a later page only', { ...DEFAULTS, page: 7 }],
    [
      'characters a query string must escape',
      { ...DEFAULTS, callSid: 'CA1&page=9', department: 'billing & refunds', from: '2025-11-17T09:30:00+01:00' },
    ],
  ])('round-trips %s through the query string', (_what, filters) => {
    const text = searchParamsOf(filters).toString();
    expect(query(text)).toEqual(filters);
  });

  it.each(CALL_OUTCOMES)('round-trips the outcome %s', (outcome) => {
    expect(query(searchParamsOf({ ...DEFAULTS, outcome }).toString()).outcome).toBe(outcome);
  });

  it('trims the call sid', () => {
    expect(query('callSid=%20%20CA1%20').callSid).toBe('CA1');
  });

  it.each(['won', 'RESOLVED', '', 'resolved,failed'])('ignores the outcome %p', (outcome) => {
    expect(query(`outcome=${encodeURIComponent(outcome)}`).outcome).toBe('');
  });

  it.each(['0', '-2', '1.5', 'two', '', 'NaN', 'Infinity'])('reads the page %p as the first', (page) => {
    expect(query(`page=${page}`).page).toBe(1);
  });

  it.each(['0', '-25', '12.5', 'lots', ''])('reads the page size %p as the default', (pageSize) => {
    expect(query(`pageSize=${pageSize}`).pageSize).toBe(DEFAULT_PAGE_SIZE);
  });

  it('keeps page sizes up to what GET /calls takes, and caps larger ones', () => {
    for (const size of PAGE_SIZES) expect(query(`pageSize=${size}`).pageSize).toBe(size);
    expect(query('pageSize=200').pageSize).toBe(200);
    expect(query('pageSize=201').pageSize).toBe(200);
    expect(query('pageSize=100000').pageSize).toBe(200);
  });

  it('leaves out parameters it does not know (a token pasted into the address never comes back)', () => {
    const filters = query('token=secret&callSid=CA1&sort=desc');
    expect(filters).toEqual({ ...DEFAULTS, callSid: 'CA1' });
    expect(searchParamsOf(filters).toString()).toBe('callSid=CA1');
  });

  it('normalises a hand-written query string', () => {
    const filters = query('page=0&pageSize=999&outcome=bogus&callSid=+CA1+&department=faq');
    expect(searchParamsOf(filters).toString()).toBe('callSid=CA1&department=faq&pageSize=200');
  });
});

describe('apiQueryOf', () => {
  it('sends the page and page size always, and no empty filter', () => {
    expect(apiQueryOf(DEFAULTS)).toEqual({
      callSid: undefined,
      from: undefined,
      to: undefined,
      department: undefined,
      outcome: undefined,
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
    });
  });

  it('sends every filter set', () => {
    expect(apiQueryOf(FULL)).toEqual({ ...FULL });
  });
});

describe('hasFilters', () => {
  it('is false for the defaults, whatever the page', () => {
    expect(hasFilters(DEFAULTS)).toBe(false);
    expect(hasFilters({ ...DEFAULTS, page: 4, pageSize: 100 })).toBe(false);
  });

  it.each<Partial<CallFilters>>([
    { callSid: 'CA1' },
    { from: FULL.from },
    { to: FULL.to },
    { department: 'faq' },
    { outcome: 'abandoned' },
  ])('is true with %p', (filter) => {
    expect(hasFilters({ ...DEFAULTS, ...filter })).toBe(true);
  });
});

describe('localInputOf and isoOfLocalInput', () => {
  // Built from local fields so the tests hold in any time zone.
  const local = (year: number, month: number, day: number, hours: number, minutes: number) =>
    new Date(year, month - 1, day, hours, minutes).toISOString();

  it('shows an instant in local time, to the minute, zero-padded', () => {
    expect(localInputOf(local(2025, 1, 2, 3, 4))).toBe('2025-01-02T03:04');
    expect(localInputOf(local(2025, 11, 17, 21, 30))).toBe('2025-11-17T21:30');
  });

  it('drops seconds', () => {
    const withSeconds = new Date(2025, 10, 17, 9, 30, 59, 999).toISOString();
    expect(localInputOf(withSeconds)).toBe('2025-11-17T09:30');
  });

  it.each(['', 'yesterday', '2025-13-45T99:99'])('shows nothing for %p', (iso) => {
    expect(localInputOf(iso)).toBe('');
  });

  it('reads an input value as local time', () => {
    expect(isoOfLocalInput('2025-11-17T09:30')).toBe(local(2025, 11, 17, 9, 30));
  });

  it.each(['', 'not a time', '2025-13-45T99:99'])('reads %p as no time', (value) => {
    expect(isoOfLocalInput(value)).toBe('');
  });

  it('round-trips an instant on a whole minute', () => {
    for (const iso of [local(2025, 3, 30, 12, 0), local(2025, 12, 31, 23, 59), '2025-06-01T00:00:00.000Z']) {
      expect(isoOfLocalInput(localInputOf(iso))).toBe(iso);
    }
  });
});

describe('rangeLabel', () => {
  it('labels the first, a middle and a short last page', () => {
    expect(rangeLabel(1, 25, 25, 120)).toBe('1–25 of 120');
    expect(rangeLabel(2, 50, 50, 120)).toBe('51–100 of 120');
    expect(rangeLabel(5, 25, 20, 120)).toBe('101–120 of 120');
    expect(rangeLabel(1, 25, 1, 1)).toBe('1–1 of 1');
  });

  it('labels an empty page with the total', () => {
    expect(rangeLabel(1, 25, 0, 0)).toBe('0 of 0');
    expect(rangeLabel(9, 25, 0, 120)).toBe('0 of 120');
  });
});

describe('fieldErrorsOf', () => {
  const refused = (fields: unknown) =>
    new ApiError(400, { status: 400, code: 'validation_failed', message: 'Invalid query', fields: fields as FieldError[] });

  it('reads the list the service sends, joining each field’s messages', () => {
    const error = refused([
      { field: 'from', messages: ['from must be a valid ISO 8601 date string'] },
      { field: 'pageSize', messages: ['pageSize must not be greater than 200', 'pageSize must be an integer number'] },
    ]);
    expect(fieldErrorsOf(error)).toEqual({
      from: 'from must be a valid ISO 8601 date string',
      pageSize: 'pageSize must not be greater than 200; pageSize must be an integer number',
    });
  });

  it('skips entries of the list it cannot read', () => {
    const error = refused([
      null,
      'from',
      { field: 3, messages: ['x'] },
      { field: 'to' },
      { field: 'to2', messages: 'y' },
      { field: 'page', messages: [] },
    ]);
    expect(fieldErrorsOf(error)).toEqual({ page: '' });
  });

  it('reads a map of field to messages too', () => {
    expect(fieldErrorsOf(refused({ from: ['bad', 'worse'], to: 'after from', page: 0 }))).toEqual({
      from: 'bad; worse',
      to: 'after from',
      page: '0',
    });
  });

  it('is empty for an error without fields', () => {
    expect(fieldErrorsOf(new ApiError(500, { status: 500, message: 'Internal error' }))).toEqual({});
    expect(fieldErrorsOf(refused(null))).toEqual({});
    expect(fieldErrorsOf(refused('from is wrong'))).toEqual({});
  });

  it.each([new Error('network down'), { body: { fields: [{ field: 'from', messages: ['x'] }] } }, undefined, 'error'])(
    'is empty for %p, which is not an API error',
    (error) => {
      expect(fieldErrorsOf(error)).toEqual({});
    },
  );
});
