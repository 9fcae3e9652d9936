import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface HttpErrorBody {
  status: number;
  error: string;
  /** Stable and machine-readable (`payload_too_large`, `validation_failed`...); the message is for people. */
  code: string;
  message: string;
  fields?: FieldError[];
  /** Per-dependency results of a failed readiness check. */
  details?: Record<string, unknown>;
}

export type ErrorLogLevel = 'debug' | 'warn' | 'error';

/**
 * Codes of the errors the body parsers (body-parser, raw-body) raise, by their `type`. Malformed
 * JSON never arrives as itself: Nest turns body-parser's SyntaxError into a plain 400 first.
 */
const BODY_PARSER_CODES: Record<string, string> = {
  'entity.too.large': 'payload_too_large',
  'parameters.too.many': 'too_many_parameters',
  'querystring.parse.rangeError': 'body_too_deep',
  'charset.unsupported': 'unsupported_charset',
  'encoding.unsupported': 'unsupported_content_encoding',
  'request.aborted': 'request_aborted',
  'request.size.invalid': 'request_size_mismatch',
};

const STATUS_CODES: Partial<Record<number, string>> = {
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'internal_error',
};

/** Every REST error leaves as JSON: status, a code, a message and, for validation, the failing fields. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    const level = errorLogLevel(exception, body);
    if (level === 'error') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    else this.logger[level](`${body.status} ${body.code}: ${body.message}`);
    if (response.headersSent) return;
    response.status(body.status).json(body);
  }
}

export function toErrorBody(exception: unknown): HttpErrorBody {
  if (isClientHttpError(exception)) {
    const code = (exception.type && BODY_PARSER_CODES[exception.type]) ?? codeForStatus(exception.status);
    return { status: exception.status, error: reasonPhrase(exception.status), code, message: exception.message };
  }
  if (!(exception instanceof HttpException)) {
    return { status: 500, error: 'Internal Server Error', code: codeForStatus(500), message: 'Internal server error' };
  }
  const status = exception.getStatus();
  const error = reasonPhrase(status);
  const response = exception.getResponse();
  if (typeof response === 'string') return { status, error, code: codeForStatus(status), message: response };
  // Reading fields off a null response would throw inside the filter, and Express would answer with its HTML page.
  if (typeof response !== 'object' || response === null) {
    return { status, error, code: codeForStatus(status), message: exception.message };
  }
  const payload = response as { message?: unknown; code?: unknown; fields?: FieldError[]; details?: Record<string, unknown> };
  const given = typeof payload.code === 'string' ? payload.code : undefined;
  if (payload.details)
    return { status, error, code: given ?? 'not_ready', message: 'Not ready: a dependency is down', details: payload.details };
  const message = Array.isArray(payload.message) ? payload.message.join('; ') : String(payload.message ?? exception.message);
  if (payload.fields) return { status, error, code: given ?? 'validation_failed', message, fields: payload.fields };
  return { status, error, code: given ?? codeForStatus(status), message };
}

/**
 * Only a failure we did not turn into an answer ourselves is an error worth a stack. A client's
 * mistake is its own; a 5xx we chose (draining, a dependency down) is a state, not a fault.
 */
export function errorLogLevel(exception: unknown, body: HttpErrorBody): ErrorLogLevel {
  if (body.status < 500) return 'debug';
  return exception instanceof HttpException ? 'warn' : 'error';
}

/** The errors Node's HTTP stack and the body parsers raise for a bad request (the `http-errors` shape). */
function isClientHttpError(exception: unknown): exception is Error & { status: number; type?: string } {
  if (!(exception instanceof Error) || exception instanceof HttpException) return false;
  const candidate = exception as Error & { status?: unknown; expose?: unknown };
  return candidate.expose === true && typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500;
}

function codeForStatus(status: number): string {
  return STATUS_CODES[status] ?? HttpStatus[status]?.toLowerCase() ?? `http_${status}`;
}

function reasonPhrase(status: number): string {
  return (
    HttpStatus[status]
      ?.split('_')
      .map((word) => word[0] + word.slice(1).toLowerCase())
      .join(' ') ?? 'Error'
  );
}
