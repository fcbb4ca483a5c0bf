import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractFactory } from '../../contracts/contract-helpers.ts';

export interface TempDirectory {
  readonly path: string;
  /** A database file inside the directory (created by the adapter, parent dirs included). */
  file(name: string): string;
  remove(): void;
}

export function tempDirectory(): TempDirectory {
  const path = mkdtempSync(join(tmpdir(), 'herald-sqlite-'));
  return {
    path,
    file: (name) => join(path, 'data', name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A contract factory for an embedded store on a file of a fresh directory, removed on cleanup. */
export function inTempDirectory<T extends { close(): Promise<void> }>(
  file: string,
  open: (path: string) => T,
): ContractFactory<T> {
  return async () => {
    const dir = tempDirectory();
    const store = open(dir.file(file));
    return {
      store,
      cleanup: async () => {
        await store.close();
        dir.remove();
      },
    };
  };
}
