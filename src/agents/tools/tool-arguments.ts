import { ToolResult } from './tool.types';

export function toolError(code: string, message: string, details: Record<string, unknown> = {}): ToolResult {
  return { error: code, message, ...details };
}

/**
 * Reads a tool's arguments as the model sent them. The first problem wins and becomes an
 * invalid_arguments result; readers return a harmless placeholder after a problem so tools
 * can read every argument and then check `problem` once.
 */
export class ToolArguments {
  private firstProblem?: ToolResult;

  constructor(private readonly raw: Record<string, unknown>) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.raw = {};
      this.fail('arguments must be a JSON object');
    }
  }

  get problem(): ToolResult | undefined {
    return this.firstProblem;
  }

  requiredString(name: string, { maxLength }: { maxLength?: number } = {}): string {
    const value = this.raw[name];
    if (value === undefined || value === null) return this.fail(`${name} is required`, '');
    if (typeof value !== 'string') return this.fail(`${name} must be a string`, '');
    const trimmed = value.trim();
    if (trimmed === '') return this.fail(`${name} is required`, '');
    return maxLength === undefined ? trimmed : trimmed.slice(0, maxLength);
  }

  optionalString(name: string, { maxLength }: { maxLength?: number } = {}): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return this.fail(`${name} must be a string`, undefined);
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return maxLength === undefined ? trimmed : trimmed.slice(0, maxLength);
  }

  optionalInteger(name: string, { min, max }: { min: number; max: number }): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(`${name} must be an integer`, undefined);
    if (value < min || value > max) return this.fail(`${name} must be between ${min} and ${max}`, undefined);
    return value;
  }

  optionalEnum<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    const match = allowed.find((option) => option === lower);
    if (!match) return this.fail(`${name} must be one of ${allowed.join(', ')}`, undefined);
    return match;
  }

  private fail<T>(message: string, placeholder?: T): T {
    this.firstProblem ??= toolError('invalid_arguments', message);
    return placeholder as T;
  }
}
