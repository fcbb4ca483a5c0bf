import type { Pool, PoolClient } from 'pg';
import type { EmailSender, KakaoChannel, SenderNumber, SenderRegistry } from '../../ports/sender-registry.ts';
import type { EmailSenderRow, KakaoChannelRow, SenderNumberRow } from '../sender-rows.ts';
import {
  registrationTimes,
  SENDER_ORDER,
  toEmailSender,
  toKakaoChannel,
  toSenderNumber,
} from '../sender-rows.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { SENDER_MIGRATIONS } from './sender-schema.ts';
import { StartOnce } from './start-once.ts';

export interface PostgresSenderRegistryOptions extends PostgresConnectionOptions {
  /** The clock of registeredAt; default Date.now. */
  readonly now?: () => number;
}

type Queryable = Pick<PoolClient, 'query'> | Pick<Pool, 'query'>;

/**
 * The production sender registry, in herald's PostgreSQL schema, shared by every API process. A
 * PUT is one transaction: a per-client advisory lock (two admins replacing one list at once take
 * turns instead of colliding on the primary key), read the previous times, delete, insert with
 * `unnest`. Reads are one statement each.
 */
export class PostgresSenderRegistry implements SenderRegistry {
  readonly #pool: Pool;
  readonly #schema: string;
  readonly #now: () => number;
  readonly #start: StartOnce;

  constructor(options: PostgresSenderRegistryOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#schema = quoteIdentifier(connection.schema);
    this.#now = options.now ?? Date.now;
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, SENDER_MIGRATIONS));
  }

  async putSenderNumbers(
    clientId: string,
    numbers: readonly Omit<SenderNumber, 'registeredAt'>[],
  ): Promise<SenderNumber[]> {
    return this.#replace('sender_numbers', clientId, async (client) => {
      const previous = await this.#numbers(client, clientId);
      const times = registrationTimes(
        previous.map((n) => ({ key: n.number, registeredAt: n.registeredAt })),
        numbers.map((n) => n.number),
        this.#now(),
      );
      await this.#clear(client, 'sender_numbers', clientId);
      await client.query(
        `INSERT INTO ${this.#schema}.sender_numbers (client_id, number, is_default, label, registered_at, position)
         SELECT $1, * FROM unnest($2::text[], $3::boolean[], $4::text[], $5::bigint[], $6::integer[])`,
        [
          clientId,
          numbers.map((n) => n.number),
          numbers.map((n) => n.isDefault),
          numbers.map((n) => n.label ?? null),
          times,
          numbers.map((_, i) => i),
        ],
      );
      return this.#numbers(client, clientId);
    });
  }

  listSenderNumbers(clientId: string): Promise<SenderNumber[]> {
    return this.#run('listSenderNumbers', () => this.#numbers(this.#pool, clientId));
  }

  async putKakaoChannels(
    clientId: string,
    channels: readonly Omit<KakaoChannel, 'registeredAt'>[],
  ): Promise<KakaoChannel[]> {
    return this.#replace('kakao_channels', clientId, async (client) => {
      const previous = await this.#channels(client, clientId);
      const times = registrationTimes(
        previous.map((c) => ({ key: c.name, registeredAt: c.registeredAt })),
        channels.map((c) => c.name),
        this.#now(),
      );
      await this.#clear(client, 'kakao_channels', clientId);
      await client.query(
        `INSERT INTO ${this.#schema}.kakao_channels (client_id, name, sender_ids, is_default, registered_at, position)
         SELECT $1, name, ids::jsonb, d, t, p
         FROM unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::integer[]) AS c (name, ids, d, t, p)`,
        [
          clientId,
          channels.map((c) => c.name),
          channels.map((c) => JSON.stringify(c.senderIds)),
          channels.map((c) => c.isDefault),
          times,
          channels.map((_, i) => i),
        ],
      );
      return this.#channels(client, clientId);
    });
  }

  listKakaoChannels(clientId: string): Promise<KakaoChannel[]> {
    return this.#run('listKakaoChannels', () => this.#channels(this.#pool, clientId));
  }

  async putImageHosts(clientId: string, hosts: readonly string[]): Promise<string[]> {
    return this.#replace('image_hosts', clientId, async (client) => {
      const previous = await this.#hostRows(client, clientId);
      const times = registrationTimes(
        previous.map((h) => ({ key: h.host, registeredAt: Number(h.registered_at) })),
        hosts,
        this.#now(),
      );
      await this.#clear(client, 'image_hosts', clientId);
      await client.query(
        `INSERT INTO ${this.#schema}.image_hosts (client_id, host, registered_at, position)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::integer[])`,
        [clientId, hosts, times, hosts.map((_, i) => i)],
      );
      return (await this.#hostRows(client, clientId)).map((h) => h.host);
    });
  }

  async listImageHosts(clientId: string): Promise<string[]> {
    const rows = await this.#run('listImageHosts', () => this.#hostRows(this.#pool, clientId));
    return rows.map((h) => h.host);
  }

  async putEmailSenders(
    clientId: string,
    senders: readonly Omit<EmailSender, 'registeredAt'>[],
  ): Promise<EmailSender[]> {
    return this.#replace('email_senders', clientId, async (client) => {
      const previous = await this.#emailSenders(client, clientId);
      const times = registrationTimes(
        previous.map((e) => ({ key: e.address, registeredAt: e.registeredAt })),
        senders.map((e) => e.address),
        this.#now(),
      );
      await this.#clear(client, 'email_senders', clientId);
      await client.query(
        `INSERT INTO ${this.#schema}.email_senders (client_id, address, name, is_default, registered_at, position)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::integer[])`,
        [
          clientId,
          senders.map((e) => e.address),
          senders.map((e) => e.name ?? null),
          senders.map((e) => e.isDefault),
          times,
          senders.map((_, i) => i),
        ],
      );
      return this.#emailSenders(client, clientId);
    });
  }

  listEmailSenders(clientId: string): Promise<EmailSender[]> {
    return this.#run('listEmailSenders', () => this.#emailSenders(this.#pool, clientId));
  }

  async listKakaoClients(): Promise<string[]> {
    const { rows } = await this.#run('listKakaoClients', () =>
      this.#pool.query<{ client_id: string }>(
        `SELECT DISTINCT client_id FROM ${this.#schema}.kakao_channels ORDER BY client_id`,
      ),
    );
    return rows.map((row) => row.client_id);
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #numbers(db: Queryable, clientId: string): Promise<SenderNumber[]> {
    const { rows } = await db.query<SenderNumberRow>(
      `SELECT number, is_default, label, registered_at FROM ${this.#schema}.sender_numbers
       WHERE client_id = $1 ${SENDER_ORDER}`,
      [clientId],
    );
    return rows.map(toSenderNumber);
  }

  async #emailSenders(db: Queryable, clientId: string): Promise<EmailSender[]> {
    const { rows } = await db.query<EmailSenderRow>(
      `SELECT address, name, is_default, registered_at FROM ${this.#schema}.email_senders
       WHERE client_id = $1 ${SENDER_ORDER}`,
      [clientId],
    );
    return rows.map(toEmailSender);
  }

  async #channels(db: Queryable, clientId: string): Promise<KakaoChannel[]> {
    const { rows } = await db.query<KakaoChannelRow>(
      `SELECT name, sender_ids, is_default, registered_at FROM ${this.#schema}.kakao_channels
       WHERE client_id = $1 ${SENDER_ORDER}`,
      [clientId],
    );
    return rows.map(toKakaoChannel);
  }

  async #hostRows(db: Queryable, clientId: string): Promise<{ host: string; registered_at: string }[]> {
    const { rows } = await db.query<{ host: string; registered_at: string }>(
      `SELECT host, registered_at FROM ${this.#schema}.image_hosts WHERE client_id = $1 ${SENDER_ORDER}`,
      [clientId],
    );
    return rows;
  }

  /** One PUT: the client's list locked, deleted and written anew, in one transaction. */
  #replace<T>(table: string, clientId: string, insert: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.#run(`replace ${table}`, () =>
      inTransaction(this.#pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`herald:${table}:${clientId}`]);
        return insert(client);
      }),
    );
  }

  async #clear(client: PoolClient, table: string, clientId: string): Promise<void> {
    await client.query(`DELETE FROM ${this.#schema}.${table} WHERE client_id = $1`, [clientId]);
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
