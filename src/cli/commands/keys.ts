import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { openConfigStore } from '../../app/stores.ts';
import { generateApiKey, hashApiKey } from '../../core/auth/api-keys.ts';
import { loadEnvOrExit } from './start.ts';

/**
 * `herald keys create`: a new API key for a client, printed once. Only its hash is stored, so a
 * lost key cannot be shown again: create another and revoke the old one.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--client <id>', 'the client (calling service) the key belongs to')
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--admin', 'allow /admin (remote config, templates)', false)
    .action(async (options: { client: string; name: string; admin: boolean }) => {
      const env = loadEnvOrExit();
      const store = openConfigStore(env);
      try {
        const key = generateApiKey();
        const record = await store.createApiKey(
          {
            keyId: randomUUID(),
            clientId: options.client,
            role: options.admin ? 'admin' : 'client',
            name: options.name,
          },
          hashApiKey(key),
        );
        process.stdout.write(`${JSON.stringify({ ...record, key }, null, 2)}\n`);
      } finally {
        await store.close();
      }
    });
  keys
    .command('revoke <keyId>')
    .description('revoke an API key by its id')
    .action(async (keyId: string) => {
      const env = loadEnvOrExit();
      const store = openConfigStore(env);
      try {
        await store.revokeApiKey(keyId);
        process.stdout.write(`revoked ${keyId}\n`);
      } finally {
        await store.close();
      }
    });
}
