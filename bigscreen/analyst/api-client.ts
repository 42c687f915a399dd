// fetch for the analyst pages: the token travels only in the Authorization
// header (never in a URL, so it stays out of access logs and history), answers
// are JSON, and failures become ApiError with the API's own message.
import { toQueryString, type QueryValue } from './filters.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
  ) {
    super(message);
  }
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export interface ApiClient {
  get<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
}

export interface ApiClientOptions {
  getToken: () => string | null;
  fetch?: typeof fetch;
  /** '' = the page's own origin */
  baseUrl?: string;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const token = options.getToken();
    if (!token) throw new ApiError('not signed in', 401);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        // The token is ours; never let a redirect or cache take it elsewhere.
        redirect: 'error',
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(`the server did not answer (${err instanceof Error ? err.message : String(err)})`, 0);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const message =
        parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string'
          ? (parsed as { error: string }).error
          : `HTTP ${response.status}`;
      throw new ApiError(message, response.status);
    }
    if (parsed === undefined) throw new ApiError(`the answer to ${path} is not JSON`, response.status);
    return parsed as T;
  }

  return {
    get: (path, query = {}, signal) => request('GET', `${path}${toQueryString(query)}`, undefined, signal),
    post: (path, body, signal) => request('POST', path, body, signal),
  };
}
