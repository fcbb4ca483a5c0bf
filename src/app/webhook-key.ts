import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../adapters/sqlite/private-files.ts';
import type { EnvConfig } from '../config/env-config.ts';
import type { Logger } from '../observability/logger.ts';

export const WEBHOOK_KEY_FILE = 'webhook.key';

/**
 * The key that seals webhook signing secrets: HERALD_WEBHOOK_KEY, or else a key generated once in
 * the data directory (0600, like the other embedded files). The file suits processes sharing one
 * data directory; with PostgreSQL the processes may not share one, so that case is warned about.
 * The key itself is never logged.
 */
export function loadWebhookKey(env: EnvConfig, logger: Logger): Buffer {
  if (env.webhookKey) return Buffer.from(env.webhookKey, 'base64');
  const path = join(env.dataDir, WEBHOOK_KEY_FILE);
  if (env.databaseUrl) {
    logger.warn(
      { path },
      'HERALD_WEBHOOK_KEY is not set: webhook secrets are sealed with a key file in the data directory; ' +
        'every herald process must share it, so set HERALD_WEBHOOK_KEY (openssl rand -base64 32) in production',
    );
  }
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    // wx: two processes starting at once must not both write one; the loser reads the winner's.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  }
}
