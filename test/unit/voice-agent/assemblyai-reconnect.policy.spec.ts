import { backoffDelayMs, BoundedQueue } from '../../../src/voice-agent/provider-reconnect';
import {
  DEFAULT_RECONNECT_SETTINGS,
  isRecoverableSessionError,
  isResumeRefused,
  nextFreshStep,
  nextResumeStep,
  ReconnectSettings,
} from '../../../src/voice-agent/assemblyai/assemblyai-reconnect.policy';

const settings = (overrides: Partial<ReconnectSettings> = {}): ReconnectSettings => ({ ...DEFAULT_RECONNECT_SETTINGS, ...overrides });

describe('assemblyai reconnect policy', () => {
  it('classifies session errors as PROTOCOL.md lists them', () => {
    for (const code of ['invalid_format', 'invalid_audio', 'invalid_value', 'immutable_field', 'invalid_config'])
      expect(isRecoverableSessionError(code)).toBe(true);
    for (const code of [
      'UNAUTHORIZED',
      'FORBIDDEN',
      'INTERNAL_ERROR',
      'server_error',
      'agent_init_failed',
      'session_expired',
      'anything_new',
    ]) {
      expect(isRecoverableSessionError(code)).toBe(false);
    }
    for (const code of ['session_not_found', 'session_forbidden', 'session_expired']) expect(isResumeRefused(code)).toBe(true);
    expect(isResumeRefused('server_error')).toBe(false);
  });

  it('backs off along the configured steps and stays on the last one', () => {
    expect([0, 1, 2, 3, 4, 9].map((attempt) => backoffDelayMs(attempt, [0, 100, 300]))).toEqual([0, 100, 300, 300, 300, 300]);
    expect(backoffDelayMs(3, [])).toBe(0);
  });

  it('resumes a few times inside the window, then starts fresh', () => {
    const policy = settings({ resumeAttempts: 3, backoffMs: [0, 200, 400], resumeWindowMs: 25_000 });
    expect(nextResumeStep(0, 1_000, 1_000, policy)).toEqual({ action: 'resume', delayMs: 0 });
    expect(nextResumeStep(2, 1_000, 2_000, policy)).toEqual({ action: 'resume', delayMs: 400 });
    expect(nextResumeStep(3, 1_000, 2_000, policy)).toEqual({ action: 'fresh' });
  });

  it('never schedules a resume that would start after the window', () => {
    const policy = settings({ resumeAttempts: 10, backoffMs: [1_000], resumeWindowMs: 25_000 });
    expect(nextResumeStep(1, 0, 23_900, policy)).toEqual({ action: 'resume', delayMs: 1_000 });
    expect(nextResumeStep(1, 0, 24_000, policy)).toEqual({ action: 'fresh' });
  });

  it('gives up on fresh sessions after the configured attempts', () => {
    const policy = settings({ freshAttempts: 2, backoffMs: [50, 100] });
    expect(nextFreshStep(0, policy)).toEqual({ action: 'fresh', delayMs: 50 });
    expect(nextFreshStep(1, policy)).toEqual({ action: 'fresh', delayMs: 100 });
    expect(nextFreshStep(2, policy)).toEqual({ action: 'give-up' });
  });
});

describe('BoundedQueue', () => {
  it('keeps the newest entries and reports each drop', () => {
    const queue = new BoundedQueue<number>(3);
    const dropped = [1, 2, 3, 4, 5].map((value) => queue.push(value));
    expect(dropped).toEqual([false, false, false, true, true]);
    expect(queue.size).toBe(3);
    expect(queue.drain()).toEqual([3, 4, 5]);
    expect(queue.drain()).toEqual([]);
  });
});
