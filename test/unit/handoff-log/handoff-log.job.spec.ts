import { HANDOFF_LOG_JOB_OPTIONS, parseHandoffLogEntry } from '../../../src/handoff/handoff-log/handoff-log.job';
import { handoffLogEntryFactory } from './handoff-log-entry.factory';

describe('handoff log entries and job payloads', () => {
  it('accepts applied and refused entries as they are', () => {
    for (const entry of [handoffLogEntryFactory.applied(), handoffLogEntryFactory.refused()]) {
      expect(parseHandoffLogEntry(entry)).toEqual({ ok: true, entry });
    }
  });

  it('drops fields it does not know (a payload off Redis is not trusted)', () => {
    const entry = handoffLogEntryFactory.applied();
    const parsed = parseHandoffLogEntry({ ...entry, extra: 'x' });
    expect(parsed).toEqual({ ok: true, entry });
  });

  it.each([
    ['id', { id: 'not-a-uuid' }, 'id must be a UUID'],
    ['status', { status: 'done' }, 'status must be one of applied, refused, cancelled'],
    ['callId', { callId: '' }, 'callId must be a non-empty string'],
    ['requestedAt', { requestedAt: 'yesterday' }, 'requestedAt must be an ISO time'],
    ['appliedAt', { appliedAt: 12 }, 'appliedAt must be an ISO time or null'],
    ['latencyMs', { latencyMs: Number.NaN }, 'latencyMs must be a number or null'],
    ['toVersion', { toVersion: 1.5 }, 'toVersion must be an integer or null'],
    ['code', { code: 3 }, 'code must be a string or null'],
  ])('refuses a bad %s', (_field, overrides, problem) => {
    const parsed = parseHandoffLogEntry({ ...handoffLogEntryFactory.applied(), ...overrides });
    expect(parsed).toEqual({ ok: false, problems: [problem] });
  });

  it('refuses something that is not an object', () => {
    expect(parseHandoffLogEntry('x')).toEqual({ ok: false, problems: ['not an object'] });
    expect(parseHandoffLogEntry(null)).toEqual({ ok: false, problems: ['not an object'] });
  });

  it('retries with exponential backoff and keeps jobs that finally fail', () => {
    expect(HANDOFF_LOG_JOB_OPTIONS).toMatchObject({ backoff: { type: 'exponential' }, removeOnFail: false });
    expect(HANDOFF_LOG_JOB_OPTIONS.attempts).toBeGreaterThan(5);
  });
});
