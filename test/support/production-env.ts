import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_URLS } from './engines.ts';

/** The recipient-hash secret every test, bench and drill herald on production engines shares. */
export const TEST_RECIPIENT_HASH_SECRET = 'test-recipient-hash-secret-0123456789abcdef';

/**
 * Environment for a herald process on the production engines of this machine, in a namespace of
 * its own (topics, consumer groups, Redis keys, PostgreSQL schema), so tests never see each
 * other's messages on the shared broker and databases. Each process gets its own data dir, as
 * on a machine of its own. A production engine needs a recipient-hash secret and an explicit
 * choice of simulators: in-process unless the caller says otherwise (tests are trials).
 */
export function productionEnv(
  namespace: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    HERALD_KAFKA_BROKERS: ENGINE_URLS.kafka,
    HERALD_REDIS_URL: ENGINE_URLS.redis,
    HERALD_DATABASE_URL: ENGINE_URLS.postgres,
    HERALD_NAMESPACE: namespace,
    HERALD_PARTITIONS: '4',
    HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
    HERALD_SIMULATORS: 'in-process',
    HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), `herald-${namespace}-`)),
    // Several workers share this host: each takes a free port for /health and /metrics.
    HERALD_METRICS_PORT: '0',
    ...overrides,
  };
}

export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}
