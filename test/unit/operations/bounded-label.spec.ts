import { BoundedLabel, normaliseLabelValue, OTHER_LABEL_VALUE } from '../../../src/operations/bounded-label';

describe('normaliseLabelValue', () => {
  it('lowercases and keeps only [a-z0-9_.:-], other characters as _', () => {
    expect(normaliseLabelValue('Billing')).toBe('billing');
    expect(normaliseLabelValue('rate_limit.exceeded:v2-beta')).toBe('rate_limit.exceeded:v2-beta');
    expect(normaliseLabelValue('Invalid Request/Error "x"')).toBe('invalid_request_error__x_');
    expect(normaliseLabelValue('café\n{le="1"}')).toBe('caf___le__1__');
  });

  it('cuts to 64 characters, even where lowercasing lengthens a string', () => {
    expect(normaliseLabelValue('a'.repeat(500))).toBe('a'.repeat(64));
    expect(normaliseLabelValue('İ'.repeat(64))).toHaveLength(64);
  });

  it('reports an empty value as other', () => {
    expect(normaliseLabelValue('')).toBe(OTHER_LABEL_VALUE);
  });
});

describe('BoundedLabel', () => {
  it('keeps the first distinct values up to the limit and maps later new ones to other', () => {
    const label = new BoundedLabel({ limit: 2 });
    expect(label.of('triage')).toBe('triage');
    expect(label.of('billing')).toBe('billing');
    expect(label.of('refund')).toBe(OTHER_LABEL_VALUE);
    expect(label.of('triage')).toBe('triage');
    expect(label.of('BILLING')).toBe('billing');
  });

  it('counts values after normalising, so case and punctuation variants take no extra place', () => {
    const label = new BoundedLabel({ limit: 1 });
    expect(label.of('Billing Team')).toBe('billing_team');
    expect(label.of('billing team')).toBe('billing_team');
    expect(label.of('faq')).toBe(OTHER_LABEL_VALUE);
  });

  it('always passes allowed values, without spending the limit on them', () => {
    const label = new BoundedLabel({ limit: 1, allowed: ['assemblyai', 'OpenAI'] });
    expect(label.of('new-provider')).toBe('new-provider');
    expect(label.of('another')).toBe(OTHER_LABEL_VALUE);
    expect(label.of('assemblyai')).toBe('assemblyai');
    expect(label.of('openai')).toBe('openai');
  });

  it('passes only allowed values with a limit of zero', () => {
    const label = new BoundedLabel({ limit: 0, allowed: ['applied'] });
    expect(label.of('applied')).toBe('applied');
    expect(label.of('anything')).toBe(OTHER_LABEL_VALUE);
  });

  it('stays bounded however many distinct values a peer sends', () => {
    const label = new BoundedLabel({ limit: 50 });
    const reported = new Set(Array.from({ length: 10_000 }, (_, index) => label.of(`error_${index}`)));
    expect(reported.size).toBe(51);
    expect(reported.has(OTHER_LABEL_VALUE)).toBe(true);
  });
});
