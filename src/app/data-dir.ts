import { ensurePrivateDirectory, formatMode } from '../adapters/sqlite/private-files.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * Makes the data directory owner-only before any store opens a file in it (see private-files.ts),
 * and says so when it had to change something or could not: an operator should learn that the
 * folder holding message bodies was readable by others.
 */
export function secureDataDir(dataDir: string, logger: Logger): void {
  const outcome = ensurePrivateDirectory(dataDir);
  if (outcome.kind === 'tightened') {
    logger.warn(
      { dataDir, from: formatMode(outcome.from), to: '0700' },
      'data directory was readable by group or others; tightened to owner-only',
    );
  } else if (outcome.kind === 'left-open') {
    logger.warn(
      { dataDir, mode: formatMode(outcome.mode), reason: outcome.reason },
      "data directory is readable by group or others and left as is; herald's files in it are owner-only (0600): " +
        'point HERALD_DATA_DIR at a directory of its own',
    );
  }
}
