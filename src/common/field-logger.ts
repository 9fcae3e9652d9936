export type LogFields = Record<string, unknown>;

/**
 * The one logging shape: a message for people, fields for machines. A call's code logs through
 * `logger.child({ callSid })`, so every line of a call carries its SID as a field to filter on,
 * never inside the text.
 */
export interface FieldLogger {
  log(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same logger with these fields on every line. */
  child(fields: LogFields): FieldLogger;
}

/** What Nest's Logger offers; nestjs-pino behind it keeps an object argument as structured fields. */
export interface NestStyleLogger {
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
}

export function fieldLogger(logger: NestStyleLogger, bound: LogFields = {}): FieldLogger {
  const entry = (message: string, fields?: LogFields) => ({ ...bound, ...fields, msg: message });
  return {
    log: (message, fields) => logger.log(entry(message, fields)),
    warn: (message, fields) => logger.warn(entry(message, fields)),
    error: (message, fields) => logger.error(entry(message, fields)),
    child: (fields) => fieldLogger(logger, { ...bound, ...fields }),
  };
}

export const silentLogger: FieldLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** An error as a log field: its message, not its stack (stacks go with `error` level only where useful). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
