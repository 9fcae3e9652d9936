import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface HttpErrorBody {
  status: number;
  error: string;
  message: string;
  fields?: FieldError[];
  /** Per-dependency results of a failed readiness check. */
  details?: Record<string, unknown>;
}

/** Every REST error leaves as JSON: status, message and, for validation, the failing fields. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    response.status(body.status).json(body);
  }
}

export function toErrorBody(exception: unknown): HttpErrorBody {
  if (!(exception instanceof HttpException)) {
    return { status: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
  const status = exception.getStatus();
  const response = exception.getResponse();
  const error = HttpStatus[status]?.split('_').map((word) => word[0] + word.slice(1).toLowerCase()).join(' ') ?? 'Error';
  if (typeof response === 'string') return { status, error, message: response };
  const payload = response as { message?: unknown; fields?: FieldError[]; details?: Record<string, unknown> };
  if (payload.details) return { status, error, message: 'Not ready: a dependency is down', details: payload.details };
  const message = Array.isArray(payload.message) ? payload.message.join('; ') : String(payload.message ?? exception.message);
  return payload.fields ? { status, error, message, fields: payload.fields } : { status, error, message };
}
