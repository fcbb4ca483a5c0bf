import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_ROLES, type RunningHerald, type StartOptions, startHerald } from '../../src/app/herald.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import { silentLogger } from '../../src/observability/logger.ts';

export const TEST_KEY = 'test-bootstrap-key-0123456789abcdef';

export interface TestHerald {
  readonly herald: RunningHerald;
  readonly url: string;
  readonly dataDir: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  readonly body: any;
}

/** herald on the embedded default in this process: a fresh data dir, a free port, the bootstrap key. */
export async function startTestHerald(
  env: Record<string, string> = {},
  dataDir?: string,
  options: StartOptions = {},
): Promise<TestHerald> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'herald-test-'));
  const config = loadEnvConfig({
    HERALD_PORT: '0',
    HERALD_DATA_DIR: dir,
    HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
    HERALD_SIMULATOR_LATENCY_MS: '1',
    HERALD_PARTITIONS: '4',
    ...env,
  });
  const herald = await startHerald(config, silentLogger(), ALL_ROLES, options);
  const url = herald.url!;
  return {
    herald,
    url,
    dataDir: dir,
    call: (method, path, body, headers = {}) => call(url, method, path, body, headers),
    async stop(options = {}) {
      await herald.stop();
      if (!options.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Polls `check` until it returns a value (not undefined/false) or the timeout passes. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Polls GET /v1/requests/:id until every message is in one of `statuses`. A recipient refused at
 * submission (`{ index, error }`, no message) is final from the start.
 */
export async function waitForRequest(
  h: Pick<TestHerald, 'call'>,
  requestId: string,
  // delivered/undelivered: a receipt can follow `sent` before the last message of the request is sent.
  statuses: readonly string[] = ['sent', 'delivered', 'undelivered', 'failed', 'expired', 'duplicate'],
  timeoutMs = 30_000,
) {
  return waitFor(
    async () => {
      const response = await h.call('GET', `/v1/requests/${requestId}`);
      // An answer without the view (a store reconnecting after an outage: 503) is "not yet".
      const messages = response.status === 200 ? response.body?.messages : undefined;
      if (!Array.isArray(messages)) return undefined;
      const done = messages.every(
        (m: { messageId?: string; status?: string }) =>
          m.messageId === undefined || statuses.includes(m.status ?? ''),
      );
      return done ? response.body : undefined;
    },
    timeoutMs,
    `request ${requestId} to reach ${statuses.join('/')}`,
  );
}

/** `n` distinct valid mobile numbers. */
export function phoneNumbers(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, i) => `010${String(10_000_000 + offset + i).padStart(8, '0')}`);
}

/** Sent, or already its receipt: the simulators report each text message delivered or not after `sent`. */
export const VENDOR_ACCEPTED: readonly string[] = ['sent', 'delivered', 'undelivered'];
