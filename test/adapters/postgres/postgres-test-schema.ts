import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ENGINE_URLS } from '../../support/engines.ts';

/** A schema name no other run uses, so test files never see each other's rows. */
export function uniqueSchema(): string {
  return `herald_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on a connection of its own (setup, inspection, cleanup). */
export async function sql<T extends Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: ENGINE_URLS.postgres });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
