import { RECOVERABLE_SESSION_ERRORS } from '../voice-agent.types';
import { backoffDelayMs } from '../provider-reconnect';

// Decisions the client makes when a provider socket drops. Plain functions so they are unit-tested.

export const RESUME_REFUSED_ERRORS = ['session_not_found', 'session_forbidden', 'session_expired'] as const;

export interface ReconnectSettings {
  // The provider keeps a dropped session 30 s; stop trying to resume a little before that.
  resumeWindowMs: number;
  resumeAttempts: number;
  freshAttempts: number;
  backoffMs: readonly number[];
  // Per attempt: socket open plus session.ready.
  readyTimeoutMs: number;
  // From the first connect, or from a drop, to session.ready: past it the call gives up on the provider.
  recoveryDeadlineMs: number;
  // After end(): how long to wait for session.ended before closing anyway.
  endTimeoutMs: number;
  // Caller audio kept while reconnecting: 50 frames of 20 ms = 1 s.
  audioBufferFrames: number;
  // session.update / tool.result / reply.create kept while not ready.
  pendingMessageLimit: number;
  // A provider that stops reading must not make us buffer audio without bound.
  maxSocketBufferedBytes: number;
}

export const DEFAULT_RECONNECT_SETTINGS: ReconnectSettings = {
  resumeWindowMs: 25_000,
  resumeAttempts: 4,
  freshAttempts: 3,
  backoffMs: [0, 250, 750, 1500],
  readyTimeoutMs: 5_000,
  recoveryDeadlineMs: 10_000,
  endTimeoutMs: 2_000,
  audioBufferFrames: 50,
  pendingMessageLimit: 32,
  maxSocketBufferedBytes: 512 * 1024,
};

export function isRecoverableSessionError(code: string): boolean {
  return (RECOVERABLE_SESSION_ERRORS as readonly string[]).includes(code);
}

export function isResumeRefused(code: string): boolean {
  return (RESUME_REFUSED_ERRORS as readonly string[]).includes(code);
}

export type NextResumeStep = { action: 'resume'; delayMs: number } | { action: 'fresh' };

// attempt: how many resume attempts already failed.
export function nextResumeStep(attempt: number, droppedAt: number, now: number, settings: ReconnectSettings): NextResumeStep {
  if (attempt >= settings.resumeAttempts) return { action: 'fresh' };
  const delayMs = backoffDelayMs(attempt, settings.backoffMs);
  // The attempt itself needs time to get its session.ready inside the window.
  if (now + delayMs >= droppedAt + settings.resumeWindowMs) return { action: 'fresh' };
  return { action: 'resume', delayMs };
}

export type NextFreshStep = { action: 'fresh'; delayMs: number } | { action: 'give-up' };

export function nextFreshStep(attempt: number, settings: ReconnectSettings): NextFreshStep {
  if (attempt >= settings.freshAttempts) return { action: 'give-up' };
  return { action: 'fresh', delayMs: backoffDelayMs(attempt, settings.backoffMs) };
}
