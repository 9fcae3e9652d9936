import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './http-error.filter';

const NUL = '\u0000';
const MAX_REPORTED_FIELDS = 20;

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Dotted paths (as validation errors name fields) of the strings, and object keys, holding a NUL
 * character. Iterative: a deeply nested body must not overflow the stack.
 */
export function fieldsWithNulCharacters(value: unknown, root = ''): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, root]];
  for (let next = 0; next < pending.length && found.length < MAX_REPORTED_FIELDS; next++) {
    const [current, path] = pending[next];
    if (typeof current === 'string') {
      if (current.includes(NUL)) found.push(path);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${printable(key)}` : printable(key);
      if (key.includes(NUL)) found.push(childPath);
      else pending.push([child, childPath]);
    }
  }
  return found.slice(0, MAX_REPORTED_FIELDS);
}

function printable(key: string): string {
  return key.split(NUL).join('\\u0000');
}

/** Postgres cannot store NUL in text; it must be a 400 here, never a 500 from the database. */
export function rejectNulCharacters(value: unknown, metadata: Pick<ArgumentMetadata, 'type' | 'data'>): void {
  const fields = fieldsWithNulCharacters(value, metadata.data ?? '').map((field) => field || metadata.type);
  if (fields.length === 0) return;
  throw new BadRequestException({
    code: 'invalid_characters',
    message: `NUL (\\u0000) characters are not allowed: ${fields.join(', ')}`,
    fields: fields.map((field): FieldError => ({ field, messages: [`${field} must not contain NUL (\\u0000) characters`] })),
  });
}

/** Whitelisting validation whose 400 names every failing field; every query, param and body is checked for NUL first, DTO or not. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') rejectNulCharacters(value, metadata);
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException({
        code: 'validation_failed',
        message: `Validation failed: ${fields.map((field) => field.field).join(', ')}`,
        fields,
      });
    },
  });
}
