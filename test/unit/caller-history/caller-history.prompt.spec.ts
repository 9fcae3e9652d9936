import { describeHistoryForPrompt } from '../../../src/caller-history/caller-history.prompt';
import { callFactory } from '../summaries/call.factory';

describe('describeHistoryForPrompt', () => {
  const now = new Date('2025-11-20T09:00:00.000Z');

  it('is empty without history', () => {
    expect(describeHistoryForPrompt([], now)).toBe('');
  });

  it('names the weekday of each previous call, newest first, with outcome and references', () => {
    const older = callFactory.historyEntry({
      at: '2025-11-03T15:00:00.000Z',
      departments: ['triage', 'faq'],
      summary: 'asked about ORD-67890',
      references: { orders: ['ORD-67890'], refunds: [], tickets: [] },
    });
    const tuesday = callFactory.historyEntry({ at: '2025-11-18T10:00:00.000Z' });
    const text = describeHistoryForPrompt([older, tuesday], now);
    expect(text.split('\n')).toEqual([
      'Returning caller. Previous calls (newest first):',
      '- Tuesday 18 Nov (2 days ago): refund for ORD-12345 (RF-1A2B3C4D5E, 84.99 USD) (resolved; departments: triage > refund; references: ORD-12345, RF-1A2B3C4D5E)',
      '- Monday 3 Nov (17 days ago): asked about ORD-67890 (resolved; departments: triage > faq; references: ORD-67890)',
      expect.stringMatching(/^Greet them as a returning caller/),
    ]);
  });

  it('says today and yesterday', () => {
    const text = describeHistoryForPrompt(
      [callFactory.historyEntry({ at: '2025-11-20T08:00:00.000Z' }), callFactory.historyEntry({ at: '2025-11-19T23:59:00.000Z' })],
      now,
    );
    expect(text).toContain('- Thursday 20 Nov (today): ');
    expect(text).toContain('- Wednesday 19 Nov (yesterday): ');
  });
});
