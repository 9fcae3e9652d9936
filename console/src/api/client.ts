export interface FieldError {
  field: string;
  messages: string[];
}

/** The service's one JSON error body (src/common/http-error.filter.ts). */
export interface ErrorBody {
  status: number;
  error?: string;
  code?: string;
  message: string;
  /** Validation failures: each failing field (a dotted path) with its messages. */
  fields?: FieldError[];
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }

  get code(): string | undefined {
    return this.body.code;
  }
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

/**
 * Talks to the REST API with the signed-in token in the Authorization header: never in a URL,
 * so it cannot land in an access log, the browser history or a Referer.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  async get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return (await this.request<T>('GET', withQuery(path, query))).body;
  }

  request<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    return this.send<T>(method, path, options);
  }

  /** A streaming GET (server-sent events) with the same authentication. */
  async stream(path: string, signal: AbortSignal): Promise<Response> {
    const response = await fetch(path, { headers: { ...this.authorization(), Accept: 'text/event-stream' }, signal, cache: 'no-store' });
    if (response.status === 401) this.onUnauthorized();
    return response;
  }

  private async send<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>> {
    const response = await fetch(path, {
      method,
      headers: {
        ...this.authorization(),
        Accept: 'application/json',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : safeJson(text);
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw new ApiError(response.status, errorBodyOf(response.status, parsed, text));
    }
    return { body: parsed as T, headers: response.headers };
  }

  private authorization(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }
}

export function withQuery(path: string, query?: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query ?? {}).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '',
  );
  if (entries.length === 0) return path;
  return `${path}?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString()}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorBodyOf(status: number, parsed: unknown, text: string): ErrorBody {
  if (parsed && typeof parsed === 'object' && 'message' in parsed) return { status, ...(parsed as Omit<ErrorBody, 'status'>) };
  return { status, message: text.trim() || `The service answered ${status}` };
}

/** Who signs in: a token and what it may do. */
export async function roleOf(token: string): Promise<'admin' | 'supervisor'> {
  const body = await new ApiClient(token).get<{ role: 'admin' | 'supervisor' }>('/auth/whoami');
  return body.role;
}
