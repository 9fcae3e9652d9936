import { faqSearchQuery } from '../../../src/agents/tools/faq-search.query';

describe('faqSearchQuery', () => {
  it('ORs the words of the question', () => {
    expect(faqSearchQuery('What is your refund policy?')).toBe('what | is | your | refund | policy');
  });

  it('keeps only letters and digits, so tsquery operators cannot get through', () => {
    expect(faqSearchQuery("refund & !policy | (x) 'y' <-> 30:*")).toBe('refund | policy | 30');
  });

  it('drops duplicates and one-letter words', () => {
    expect(faqSearchQuery('a refund REFUND refund')).toBe('refund');
  });

  it('has no query when nothing searchable is left', () => {
    expect(faqSearchQuery('?? !! a')).toBeUndefined();
  });
});
