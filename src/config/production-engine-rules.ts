import { DEV_RECIPIENT_HASH_SECRET } from '../core/identity/recipient-privacy.ts';
import type { EnvConfig } from './env-config.ts';

/**
 * Shortest bootstrap API key and recipient-hash secret accepted. Both are HMAC/SHA-256 inputs:
 * RFC 2104 advises a key of at least the hash's output length (32 bytes for SHA-256), and 32
 * random characters carry 128 bits (hex) to 192 bits (base64), beyond any brute force. Generated
 * keys are longer still (`hk_` + 43 characters); `openssl rand -base64 32` gives 44.
 */
export const MIN_SECRET_LENGTH = 32;

/** How an operator makes a secret, for the messages that ask for one. */
export const MAKE_A_SECRET = 'make one with `openssl rand -base64 32`';

type EngineSetting = 'kafkaBrokers' | 'redisUrl' | 'databaseUrl';

/**
 * The variables that configure a production engine, those set. None: the embedded default, herald
 * on one machine with SQLite files only, for trying it and for development.
 */
export function productionEngines(config: Pick<EnvConfig, EngineSetting>): string[] {
  return [
    config.kafkaBrokers && 'HERALD_KAFKA_BROKERS',
    config.redisUrl && 'HERALD_REDIS_URL',
    config.databaseUrl && 'HERALD_DATABASE_URL',
  ].filter((name): name is string => Boolean(name));
}

/**
 * The rules that apply once a production engine (Kafka, Redis or PostgreSQL) is configured: there
 * herald holds real people's data and talks to real vendors, so nothing may fall back to a default
 * meant for trying it out.
 */
export function productionEngineRules(
  config: Pick<EnvConfig, EngineSetting | 'recipientHashSecret'>,
  isSet: (name: string) => boolean,
): string[] {
  const engines = productionEngines(config);
  if (engines.length === 0) return [];
  const because = `${engines.join(', ')} ${engines.length === 1 ? 'is' : 'are'} set (a production engine)`;
  const problems: string[] = [];
  const secretSet = isSet('HERALD_RECIPIENT_HASH_SECRET');
  if (config.recipientHashSecret === DEV_RECIPIENT_HASH_SECRET) {
    const what = secretSet ? 'must not be the published development default' : 'is required';
    problems.push(
      `HERALD_RECIPIENT_HASH_SECRET ${what} because ${because}: ${MAKE_A_SECRET}, keep it in your ` +
        `secret store and give every herald process the same one (opt-out lists and history lookups ` +
        `are hashed with it: after a change, earlier opt-outs no longer match)`,
    );
  }
  if (!isSet('HERALD_SIMULATORS')) {
    problems.push(
      `HERALD_SIMULATORS must be set explicitly because ${because}: in-process to try herald with ` +
        'simulated vendors, external (with HERALD_SIMULATOR_URL) for a `herald sim` process, or off for real vendors only',
    );
  }
  return problems;
}
