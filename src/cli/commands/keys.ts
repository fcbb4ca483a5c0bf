import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { openConfigStore } from '../../app/stores.ts';
import { generateApiKey, hashApiKey } from '../../core/auth/api-keys.ts';
import { isHeraldError } from '../../core/domain/errors.ts';
import type { ApiKeyRecord, ConfigStore } from '../../ports/config-store.ts';
import { CliError } from '../cli-failure.ts';
import { loadEnvOrExit } from './start.ts';

/**
 * `herald keys`: API keys in the config store of this installation (the HERALD_DATA_DIR or
 * HERALD_DATABASE_URL herald runs on). `create` prints a key once: only its hash is stored, so a
 * lost key cannot be shown again; create another and revoke the old one. `list` shows ids, clients,
 * roles and dates, never a key or its hash.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys (create, list, revoke)');
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--client <id>', 'the client (calling service) the key belongs to')
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--admin', 'allow /admin (remote config, templates)', false)
    .action((options: { client: string; name: string; admin: boolean }) =>
      withConfigStore(async (store) => {
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
      }),
    );
  keys
    .command('list')
    .description('list API keys: id, client, role, name, created, revoked (never the key)')
    .option('--json', 'print JSON instead of a table', false)
    .action((options: { json: boolean }) =>
      withConfigStore(async (store) => {
        const records = await store.listApiKeys();
        process.stdout.write(options.json ? `${JSON.stringify(records, null, 2)}\n` : keyTable(records));
      }),
    );
  keys
    .command('revoke')
    .description('revoke an API key by its id (see `herald keys list`)')
    .argument('<keyId>', 'the id of the key, as `herald keys list` shows it')
    .action((keyId: string) =>
      withConfigStore(async (store) => {
        try {
          await store.revokeApiKey(keyId);
        } catch (error) {
          if (isHeraldError(error) && error.code === 'HERALD_NOT_FOUND') {
            throw new CliError(`no API key with id ${keyId}: \`herald keys list\` shows the ids`);
          }
          throw error;
        }
        process.stdout.write(`revoked ${keyId}\n`);
      }),
    );
}

async function withConfigStore(work: (store: ConfigStore) => Promise<void>): Promise<void> {
  const store = openConfigStore(loadEnvOrExit());
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function keyTable(records: readonly ApiKeyRecord[]): string {
  if (records.length === 0) return 'no API keys yet: `herald keys create --client <id>` makes one\n';
  const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
  const rows = [
    ['id', 'client', 'role', 'name', 'created', 'revoked'],
    ...records.map((r) => [r.keyId, r.clientId, r.role, r.name, date(r.createdAt), date(r.revokedAt)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}
