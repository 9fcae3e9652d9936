import {
  DEFAULT_OPENAI_CONNECTION_SETTINGS,
  errorDisposition,
  historyToSeed,
  nextAttemptStep,
  serverErrorsWithin,
} from '../../../../src/voice-agent/openai/openai-connection.policy';

const settings = DEFAULT_OPENAI_CONNECTION_SETTINGS;
const running = { configured: true, recentServerErrors: 0 };

describe('errorDisposition', () => {
  it('ends the call on errors no retry fixes', () => {
    expect(errorDisposition({ code: 'invalid_api_key' }, running, settings)).toBe('fatal');
    expect(errorDisposition({ code: 'insufficient_quota' }, running, settings)).toBe('fatal');
    expect(errorDisposition({ code: 'whatever', error_type: 'authentication_error' }, running, settings)).toBe('fatal');
  });

  it('treats any error before the first session.updated as a refused session', () => {
    expect(
      errorDisposition(
        { code: 'invalid_value', error_type: 'invalid_request_error' },
        { configured: false, recentServerErrors: 0 },
        settings,
      ),
    ).toBe('fatal');
  });

  it('rebuilds an expired session instead of ending the call', () => {
    expect(errorDisposition({ code: 'session_expired', error_type: 'invalid_request_error' }, running, settings)).toBe('rebuild-session');
  });

  it('recognises our response.create meeting a running response', () => {
    expect(errorDisposition({ code: 'conversation_already_has_active_response' }, running, settings)).toBe('response-busy');
  });

  it('passes other errors on, and server_error until it repeats within the window', () => {
    expect(errorDisposition({ code: 'invalid_value' }, running, settings)).toBe('reported');
    expect(
      errorDisposition({ code: 'server_error', error_type: 'server_error' }, { configured: true, recentServerErrors: 2 }, settings),
    ).toBe('reported');
    expect(
      errorDisposition({ code: 'server_error', error_type: 'server_error' }, { configured: true, recentServerErrors: 3 }, settings),
    ).toBe('fatal');
  });
});

describe('serverErrorsWithin', () => {
  it('keeps the times inside the window and adds now', () => {
    expect(serverErrorsWithin([1_000, 50_000], 70_000, 60_000)).toEqual([50_000, 70_000]);
    expect(serverErrorsWithin([], 5, 60_000)).toEqual([5]);
  });
});

describe('nextAttemptStep', () => {
  it('backs off, then gives up', () => {
    expect(nextAttemptStep(0, settings)).toEqual({ action: 'connect', delayMs: 0 });
    expect(nextAttemptStep(1, settings)).toEqual({ action: 'connect', delayMs: 250 });
    expect(nextAttemptStep(3, settings)).toEqual({ action: 'give-up' });
    expect(nextAttemptStep(9, { sessionAttempts: 20, backoffMs: [0, 100] })).toEqual({ action: 'connect', delayMs: 100 });
  });
});

describe('historyToSeed', () => {
  it('keeps the most recent non-blank turns', () => {
    const turns = [
      { role: 'caller' as const, text: 'one' },
      { role: 'agent' as const, text: ' ' },
      { role: 'agent' as const, text: 'two' },
      { role: 'caller' as const, text: 'three' },
    ];
    expect(historyToSeed(turns, 2).map((turn) => turn.text)).toEqual(['two', 'three']);
    expect(historyToSeed(undefined, 5)).toEqual([]);
    expect(historyToSeed(turns, 0)).toEqual([]);
  });
});
