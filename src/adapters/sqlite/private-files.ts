import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';

/**
 * herald's files are its owner's alone: the embedded log holds message bodies and recipients in
 * clear, the config store API key hashes, the others recipient hashes. So the data directory is
 * 0700 and every file in it 0600, whatever the umask of the shell that started herald.
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const GROUP_OR_OTHER = 0o077;
const STICKY = 0o1000;

/** A database file and what SQLite writes beside it: write-ahead log, shared-memory index, journal. */
const SQLITE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;
/** What herald itself writes in its data directory (and the simulator's default credentials folder). */
const HERALD_FILE = /\.db(-wal|-shm|-journal)?$|^simulator-credentials$|^webhook\.key$/;

/**
 * Creates the database file (empty: SQLite takes an empty file for a new database) with mode 0600
 * before SQLite opens it, because SQLite creates the -wal and -shm files with the database file's
 * mode. A file or companion left wider by an older herald or a copy is tightened.
 */
export function ensurePrivateDatabaseFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const suffix of SQLITE_SUFFIXES) {
    const mode = modeOf(path + suffix);
    if (mode !== undefined && (mode & GROUP_OR_OTHER) !== 0) chmodSync(path + suffix, PRIVATE_FILE_MODE);
  }
}

/** Creates the directory (and missing parents) owner-only; an existing one is left as it is. */
export function createPrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
}

export type DirectoryOutcome =
  | { readonly kind: 'private' }
  | { readonly kind: 'tightened'; readonly from: number }
  | { readonly kind: 'left-open'; readonly mode: number; readonly reason: string };

/**
 * Makes herald's data directory owner-only. A directory that holds nothing but herald's files is
 * herald's, so a wider mode is tightened to 0700. One that holds other files too (HERALD_DATA_DIR
 * pointed at a project folder, or /tmp), or that is sticky (shared by design), is not herald's to
 * lock: it is left as it is and reported, and herald's own files in it stay 0600 regardless.
 */
export function ensurePrivateDirectory(dir: string): DirectoryOutcome {
  createPrivateDirectory(dir);
  const mode = statSync(dir).mode & 0o7777;
  if ((mode & GROUP_OR_OTHER) === 0) return { kind: 'private' };
  if ((mode & STICKY) !== 0) return { kind: 'left-open', mode, reason: 'it is a shared (sticky) directory' };
  if (readdirSync(dir).some((name) => !HERALD_FILE.test(name))) {
    return { kind: 'left-open', mode, reason: "it holds files that are not herald's" };
  }
  try {
    chmodSync(dir, PRIVATE_DIRECTORY_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    return { kind: 'left-open', mode, reason: `chmod failed with ${code}` };
  }
  return { kind: 'tightened', from: mode };
}

/** `0755` for 0o755: how people write modes. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
