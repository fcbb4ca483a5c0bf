import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EmailSender, KakaoChannel, SenderNumber, SenderRegistry } from '../../ports/sender-registry.ts';
import type { EmailSenderRow, KakaoChannelRow, SenderNumberRow } from '../sender-rows.ts';
import {
  registrationTimes,
  SENDER_ORDER,
  toEmailSender,
  toKakaoChannel,
  toSenderNumber,
} from '../sender-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteSenderRegistryOptions {
  readonly path: string;
  /** The clock of registeredAt; default Date.now. */
  readonly now?: () => number;
}

/**
 * Small tables, one row per client and entry. `position` keeps a PUT's order among entries
 * registered at the same moment. The partial unique indexes make "at most one default per client"
 * the database's rule too, not only the API's.
 */
const SENDER_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sender_numbers (
    client_id TEXT NOT NULL,
    number TEXT NOT NULL,
    is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    label TEXT,
    registered_at INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (client_id, number)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX sender_numbers_one_default ON sender_numbers (client_id) WHERE is_default = 1;
  CREATE TABLE kakao_channels (
    client_id TEXT NOT NULL,
    name TEXT NOT NULL,
    sender_ids TEXT NOT NULL,
    is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    registered_at INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (client_id, name)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX kakao_channels_one_default ON kakao_channels (client_id) WHERE is_default = 1;
  CREATE TABLE image_hosts (
    client_id TEXT NOT NULL,
    host TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (client_id, host)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  CREATE TABLE email_senders (
    client_id TEXT NOT NULL,
    address TEXT NOT NULL,
    name TEXT,
    is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    registered_at INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (client_id, address)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX email_senders_one_default ON email_senders (client_id) WHERE is_default = 1;
  `,
];

type Statement =
  | 'numbers'
  | 'deleteNumbers'
  | 'insertNumber'
  | 'channels'
  | 'deleteChannels'
  | 'insertChannel'
  | 'hosts'
  | 'deleteHosts'
  | 'insertHost'
  | 'kakaoClients'
  | 'emailSenders'
  | 'deleteEmailSenders'
  | 'insertEmailSender';

/**
 * The embedded sender registry: its own SQLite file, every PUT one IMMEDIATE transaction (delete
 * the client's list, insert the new one), so API processes sharing the data directory see one
 * registry and a reader never sees half a list.
 */
export class SqliteSenderRegistry implements SenderRegistry {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #sql: Record<Statement, StatementSync>;

  constructor(options: SqliteSenderRegistryOptions) {
    const db = openDatabase({ path: options.path, component: 'senders', migrations: SENDER_MIGRATIONS });
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#sql = {
      numbers: db.prepare(
        `SELECT number, is_default, label, registered_at FROM sender_numbers WHERE client_id = ? ${SENDER_ORDER}`,
      ),
      deleteNumbers: db.prepare('DELETE FROM sender_numbers WHERE client_id = ?'),
      insertNumber: db.prepare(
        `INSERT INTO sender_numbers (client_id, number, is_default, label, registered_at, position)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      channels: db.prepare(
        `SELECT name, sender_ids, is_default, registered_at FROM kakao_channels WHERE client_id = ? ${SENDER_ORDER}`,
      ),
      deleteChannels: db.prepare('DELETE FROM kakao_channels WHERE client_id = ?'),
      insertChannel: db.prepare(
        `INSERT INTO kakao_channels (client_id, name, sender_ids, is_default, registered_at, position)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      hosts: db.prepare(`SELECT host, registered_at FROM image_hosts WHERE client_id = ? ${SENDER_ORDER}`),
      deleteHosts: db.prepare('DELETE FROM image_hosts WHERE client_id = ?'),
      insertHost: db.prepare(
        'INSERT INTO image_hosts (client_id, host, registered_at, position) VALUES (?, ?, ?, ?)',
      ),
      kakaoClients: db.prepare('SELECT DISTINCT client_id FROM kakao_channels ORDER BY client_id'),
      emailSenders: db.prepare(
        `SELECT address, name, is_default, registered_at FROM email_senders WHERE client_id = ? ${SENDER_ORDER}`,
      ),
      deleteEmailSenders: db.prepare('DELETE FROM email_senders WHERE client_id = ?'),
      insertEmailSender: db.prepare(
        `INSERT INTO email_senders (client_id, address, name, is_default, registered_at, position)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  async putSenderNumbers(
    clientId: string,
    numbers: readonly Omit<SenderNumber, 'registeredAt'>[],
  ): Promise<SenderNumber[]> {
    return guardStore('putSenderNumbers', () =>
      inTransaction(this.#db, () => {
        const previous = this.#numbers(clientId).map((n) => ({
          key: n.number,
          registeredAt: n.registeredAt,
        }));
        const times = registrationTimes(
          previous,
          numbers.map((n) => n.number),
          this.#now(),
        );
        this.#sql.deleteNumbers.run(clientId);
        numbers.forEach((n, i) => {
          this.#sql.insertNumber.run(clientId, n.number, n.isDefault ? 1 : 0, n.label ?? null, times[i]!, i);
        });
        return this.#numbers(clientId);
      }),
    );
  }

  async listSenderNumbers(clientId: string): Promise<SenderNumber[]> {
    return guardStore('listSenderNumbers', () => this.#numbers(clientId));
  }

  async putKakaoChannels(
    clientId: string,
    channels: readonly Omit<KakaoChannel, 'registeredAt'>[],
  ): Promise<KakaoChannel[]> {
    return guardStore('putKakaoChannels', () =>
      inTransaction(this.#db, () => {
        const previous = this.#channels(clientId).map((c) => ({ key: c.name, registeredAt: c.registeredAt }));
        const times = registrationTimes(
          previous,
          channels.map((c) => c.name),
          this.#now(),
        );
        this.#sql.deleteChannels.run(clientId);
        channels.forEach((c, i) => {
          const ids = JSON.stringify(c.senderIds);
          this.#sql.insertChannel.run(clientId, c.name, ids, c.isDefault ? 1 : 0, times[i]!, i);
        });
        return this.#channels(clientId);
      }),
    );
  }

  async listKakaoChannels(clientId: string): Promise<KakaoChannel[]> {
    return guardStore('listKakaoChannels', () => this.#channels(clientId));
  }

  async putImageHosts(clientId: string, hosts: readonly string[]): Promise<string[]> {
    return guardStore('putImageHosts', () =>
      inTransaction(this.#db, () => {
        const previous = this.#hostRows(clientId).map((h) => ({
          key: h.host,
          registeredAt: Number(h.registered_at),
        }));
        const times = registrationTimes(previous, hosts, this.#now());
        this.#sql.deleteHosts.run(clientId);
        hosts.forEach((host, i) => {
          this.#sql.insertHost.run(clientId, host, times[i]!, i);
        });
        return this.#hostRows(clientId).map((h) => h.host);
      }),
    );
  }

  async listImageHosts(clientId: string): Promise<string[]> {
    return guardStore('listImageHosts', () => this.#hostRows(clientId).map((h) => h.host));
  }

  async putEmailSenders(
    clientId: string,
    senders: readonly Omit<EmailSender, 'registeredAt'>[],
  ): Promise<EmailSender[]> {
    return guardStore('putEmailSenders', () =>
      inTransaction(this.#db, () => {
        const previous = this.#emailSenders(clientId).map((e) => ({
          key: e.address,
          registeredAt: e.registeredAt,
        }));
        const times = registrationTimes(
          previous,
          senders.map((e) => e.address),
          this.#now(),
        );
        this.#sql.deleteEmailSenders.run(clientId);
        senders.forEach((e, i) => {
          this.#sql.insertEmailSender.run(
            clientId,
            e.address,
            e.name ?? null,
            e.isDefault ? 1 : 0,
            times[i]!,
            i,
          );
        });
        return this.#emailSenders(clientId);
      }),
    );
  }

  async listEmailSenders(clientId: string): Promise<EmailSender[]> {
    return guardStore('listEmailSenders', () => this.#emailSenders(clientId));
  }

  async listKakaoClients(): Promise<string[]> {
    const rows = guardStore('listKakaoClients', () => this.#sql.kakaoClients.all());
    return (rows as unknown as { client_id: string }[]).map((row) => row.client_id);
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #numbers(clientId: string): SenderNumber[] {
    return (this.#sql.numbers.all(clientId) as unknown as SenderNumberRow[]).map(toSenderNumber);
  }

  #emailSenders(clientId: string): EmailSender[] {
    return (this.#sql.emailSenders.all(clientId) as unknown as EmailSenderRow[]).map(toEmailSender);
  }

  #channels(clientId: string): KakaoChannel[] {
    return (this.#sql.channels.all(clientId) as unknown as KakaoChannelRow[]).map(toKakaoChannel);
  }

  #hostRows(clientId: string): { host: string; registered_at: number }[] {
    return this.#sql.hosts.all(clientId) as unknown as { host: string; registered_at: number }[];
  }
}
