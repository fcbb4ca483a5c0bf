import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, Pool } from 'undici';

/** An answer as read off the wire: status, headers, and the body parsed as JSON when it is JSON. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON, or undefined when the body was empty or not JSON. */
  readonly body: unknown;
  /** The body as text (for vendors that answer errors in plain text or HTML). */
  readonly text: string;
}

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, percent-encoded, starting with '/'. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON with `content-type: application/json; charset=UTF-8`. */
  readonly json?: unknown;
  readonly signal: AbortSignal;
}

export interface JsonHttpClientOptions {
  /** Scheme, host and port; a path prefix is kept (the simulator serves vendors under /<id>). */
  readonly baseUrl: string;
  /** Keep-alive connections (default 256: a lane's sendConcurrency never queues in the pool). */
  readonly connections?: number;
  /** How long close() lets calls in flight finish before cutting them off (default 2000 ms). */
  readonly closeGraceMs?: number;
}

/**
 * One vendor's HTTP/1.1 keep-alive pool for JSON APIs (undici Pool: the connection reuse and
 * pipelining Node's fetch is built on, without its per-call overhead). The caller's AbortSignal
 * is the only time limit. Every body is read to its end, so a connection always goes back to
 * the pool.
 */
export class JsonHttpClient {
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #graceMs: number;
  #closing: Promise<void> | undefined;

  constructor(options: JsonHttpClientOptions) {
    const base = new URL(options.baseUrl);
    this.#prefix = base.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(base.origin, { connections: options.connections ?? 256 });
    this.#graceMs = options.closeGraceMs ?? 2_000;
  }

  /** The path prefix of the base URL ('' for a vendor's own host), which vendors do not sign. */
  get prefix(): string {
    return this.#prefix;
  }

  async request(request: JsonRequest): Promise<JsonResponse> {
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const headers: Record<string, string> = { ...request.headers };
    if (body !== undefined) headers['content-type'] ??= 'application/json; charset=UTF-8';
    const options: Dispatcher.RequestOptions = {
      path: `${this.#prefix}${request.path}`,
      method: request.method,
      headers,
      signal: request.signal,
      ...(body === undefined ? {} : { body }),
    };
    const response = await this.#pool.request(options);
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body: parseJson(text), text };
  }

  close(): Promise<void> {
    this.#closing ??= closePool(this.#pool, this.#graceMs);
    return this.#closing;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Lets calls in flight finish for a short grace, then cuts off whatever still hangs. */
export async function closePool(pool: Dispatcher, graceMs: number): Promise<void> {
  const graceful = pool.close().then(() => true);
  // A destroy() below makes the pending close() reject; that is expected and handled here.
  graceful.catch(() => undefined);
  const finished = await Promise.race([graceful, sleep(graceMs, false, { ref: false })]);
  if (!finished) await pool.destroy();
}
