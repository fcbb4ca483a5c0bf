import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
