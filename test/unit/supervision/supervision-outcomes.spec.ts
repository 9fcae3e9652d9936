import { endOutcome, takeoverOutcome } from '../../../src/supervision/supervision-outcomes';

describe('what the API answers for a takeover or an end', () => {
  it('answers a takeover that worked with where the call went and how', () => {
    expect(takeoverOutcome('CA1', { ok: true, to: 'human', status: 'simulated' })).toEqual({
      ok: true,
      value: { callSid: 'CA1', to: 'human', status: 'simulated' },
    });
  });

  it.each([
    ['unknown_department', 400, 'validation_failed', 'to'],
    ['already_there', 409, 'already_there', undefined],
    ['transfer_failed', 502, 'transfer_failed', undefined],
    ['call_ending', 409, 'call_ended', undefined],
  ] as const)('turns %s into %i %s', (code, status, answered, field) => {
    const outcome = takeoverOutcome('CA1', { ok: false, code, message: 'why' });
    expect(outcome).toEqual(expect.objectContaining({ ok: false, status, code: answered }));
    expect(outcome.ok ? undefined : outcome.field).toBe(field);
  });

  it('answers an end with its mode and state, and an end of an ending call with 409', () => {
    expect(endOutcome('CA1', { ok: true, mode: 'polite', status: 'closing' })).toEqual({
      ok: true,
      value: { callSid: 'CA1', mode: 'polite', status: 'closing' },
    });
    expect(endOutcome('CA1', { ok: false, code: 'call_ending', message: 'x' })).toEqual(
      expect.objectContaining({ status: 409, code: 'call_ended' }),
    );
  });
});
