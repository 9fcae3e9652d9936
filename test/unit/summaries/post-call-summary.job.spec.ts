import {
  InvalidJobPayloadError,
  parsePostCallSummaryJobData,
  SUMMARY_BACKOFF_CAP_MS,
  summaryRetryDelay,
} from '../../../src/summaries/post-call-summary.job';
import { newCallSid } from './call.factory';

describe('post-call-summary job payload', () => {
  it('accepts a call id', () => {
    const callSid = newCallSid();
    expect(parsePostCallSummaryJobData({ callSid })).toEqual({ callSid });
  });

  it.each([
    [null],
    ['CA123'],
    [[]],
    [{}],
    [{ callSid: 42 }],
    [{ callSid: '' }],
    [{ callSid: 'has:colon' }],
    [{ callSid: '12345' }],
    [{ callSid: 'CA1', extra: true }],
  ])('refuses %j', (data) => {
    expect(() => parsePostCallSummaryJobData(data)).toThrow(InvalidJobPayloadError);
  });
});

describe('summaryRetryDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => summaryRetryDelay(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(summaryRetryDelay(30, 1000)).toBe(SUMMARY_BACKOFF_CAP_MS);
  });
});
