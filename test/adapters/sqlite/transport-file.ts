import { afterEach, beforeEach } from 'node:test';
import {
  SqliteTransport,
  type SqliteTransportOptions,
} from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { type TempDirectory, tempDirectory } from './temp-directory.ts';

export interface TransportFile {
  /** This test's transport file. */
  readonly path: string;
  /** A transport on the file (several may share it, like processes); closed after the test. */
  open(options?: Omit<SqliteTransportOptions, 'path'>): SqliteTransport;
}

/** Call inside a describe: each test gets a fresh file, and what it opened is closed and removed after. */
export function useTransportFile(): TransportFile {
  let dir: TempDirectory;
  let path = '';
  let opened: SqliteTransport[] = [];
  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('transport.db');
    opened = [];
  });
  afterEach(async () => {
    await Promise.all(opened.map((transport) => transport.close()));
    dir.remove();
  });
  return {
    get path() {
      return path;
    },
    open(options = {}) {
      const transport = new SqliteTransport({ path, ...options });
      opened.push(transport);
      return transport;
    },
  };
}
