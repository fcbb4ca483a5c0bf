import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import {
  createPrivateDirectory,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
} from '../../adapters/sqlite/private-files.ts';

/**
 * Creates `path` with `content` unless it exists, atomically: the content goes to a private
 * temporary file first, which is then hard-linked to its name (link fails if the name exists).
 * So a reader never sees a half-written key, and when two processes (`herald sim` and herald)
 * race to create the same credentials, one set wins and both use it. Returns whether this call
 * created the file.
 */
export function writeFileOnce(path: string, content: string): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * The credentials directory, owner-only (it holds private keys, if only the simulator's). A wider
 * one is tightened when it holds nothing but credential files; a shared one (sticky, or with other
 * files) is left alone: the key files themselves are 0600 regardless.
 */
export function ensureCredentialsDirectory(dir: string): void {
  createPrivateDirectory(dir);
  const mode = statSync(dir).mode;
  if ((mode & 0o077) === 0 || (mode & 0o1000) !== 0) return;
  if (readdirSync(dir).every((name) => /\.(json|p8|tmp)$/.test(name))) chmodSync(dir, PRIVATE_DIRECTORY_MODE);
}
