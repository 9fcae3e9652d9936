import { backoffDelayMs } from '../provider-reconnect';

// Decisions the OpenAI Realtime client makes about errors and lost sockets. Plain functions so
// they are unit-tested. There is no resume on this provider: a lost session is rebuilt.

export interface OpenAiConnectionSettings {
  /** Sockets tried to get one session running (the first, or a new one after a drop) before giving up. */
  sessionAttempts: number;
  backoffMs: readonly number[];
  /** Per attempt: socket open, session.created, and the session.updated that answers our update. */
  readyTimeoutMs: number;
  /** From the first connect, or from a drop, to a running session: past it the call gives up on the provider. */
  recoveryDeadlineMs: number;
  /** Caller audio kept while a new session is built: 50 frames of 20 ms = 1 s. */
  audioBufferFrames: number;
  /** session.update and reply requests kept while not ready. */
  pendingMessageLimit: number;
  /** A provider that stops reading must not make us buffer audio without bound. */
  maxSocketBufferedBytes: number;
  /** Turns of an earlier session seeded into a new one, at most (the most recent). */
  historyTurnLimit: number;
  /** This many server_error within serverErrorWindowMs and the provider is treated as failing. */
  serverErrorLimit: number;
  serverErrorWindowMs: number;
}

export const DEFAULT_OPENAI_CONNECTION_SETTINGS: OpenAiConnectionSettings = {
  sessionAttempts: 3,
  backoffMs: [0, 250, 750, 1500],
  readyTimeoutMs: 5_000,
  recoveryDeadlineMs: 10_000,
  audioBufferFrames: 50,
  pendingMessageLimit: 32,
  maxSocketBufferedBytes: 512 * 1024,
  historyTurnLimit: 40,
  serverErrorLimit: 3,
  serverErrorWindowMs: 60_000,
};

/** Errors no retry fixes: the key, the account or the model is wrong. */
export const FATAL_ERROR_CODES = ['invalid_api_key', 'insufficient_quota', 'model_not_found'] as const;
export const FATAL_ERROR_TYPES = ['authentication_error', 'permission_error'] as const;
/** The session reached its maximum duration: the call goes on in a new session, as after a drop. */
export const SESSION_OVER_ERROR_CODES = ['session_expired'] as const;
export const ACTIVE_RESPONSE_ERROR = 'conversation_already_has_active_response';
export const SERVER_ERROR = 'server_error';

export type ErrorDisposition =
  /** The call cannot go on with this provider: close with fatal-error. */
  | 'fatal'
  /** This session is over, the call is not: build a new session. */
  | 'rebuild-session'
  /** Our response.create met a response already running: harmless, not reported. */
  | 'response-busy'
  /** Passed on as session.error; the session stays open. */
  | 'reported';

export interface ErrorContext {
  /** Whether the session answered our first session.update: before that, any error means it was refused. */
  configured: boolean;
  /** server_error received within the window, this one included. */
  recentServerErrors: number;
}

export function errorDisposition(
  error: { code: string; error_type?: string },
  context: ErrorContext,
  settings: Pick<OpenAiConnectionSettings, 'serverErrorLimit'>,
): ErrorDisposition {
  if (error.code === ACTIVE_RESPONSE_ERROR) return 'response-busy';
  if (isOneOf(error.code, FATAL_ERROR_CODES) || (error.error_type !== undefined && isOneOf(error.error_type, FATAL_ERROR_TYPES))) {
    return 'fatal';
  }
  // Nothing fixes a refused first session.update (a bad voice, an unknown field).
  if (!context.configured) return 'fatal';
  if (isOneOf(error.code, SESSION_OVER_ERROR_CODES)) return 'rebuild-session';
  if (isServerError(error) && context.recentServerErrors >= settings.serverErrorLimit) return 'fatal';
  return 'reported';
}

export function isServerError(error: { code: string; error_type?: string }): boolean {
  return error.code === SERVER_ERROR || error.error_type === SERVER_ERROR;
}

/** The server_error times still inside the window, with `now` added. */
export function serverErrorsWithin(times: readonly number[], now: number, windowMs: number): number[] {
  return [...times.filter((time) => now - time < windowMs), now];
}

export type NextAttemptStep = { action: 'connect'; delayMs: number } | { action: 'give-up' };

/** attempt: how many attempts at this session already failed. */
export function nextAttemptStep(
  attempt: number,
  settings: Pick<OpenAiConnectionSettings, 'sessionAttempts' | 'backoffMs'>,
): NextAttemptStep {
  if (attempt >= settings.sessionAttempts) return { action: 'give-up' };
  return { action: 'connect', delayMs: backoffDelayMs(attempt, settings.backoffMs) };
}

/** The most recent turns, at most `limit`, without blank ones. */
export function historyToSeed<T extends { text: string }>(history: readonly T[] | undefined, limit: number): T[] {
  const turns = (history ?? []).filter((turn) => turn.text.trim() !== '');
  return limit > 0 ? turns.slice(-limit) : [];
}

function isOneOf(value: string, list: readonly string[]): boolean {
  return list.includes(value);
}
