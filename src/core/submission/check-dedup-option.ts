import { HeraldError } from '../domain/errors.ts';
import type { SubmissionRequest } from './submission-types.ts';

/**
 * How long content dedup may remember a message: a week. Enough for "not the same reminder twice
 * in a week"; each message's content key is a claim with this TTL in the dedup store, where a
 * longer window costs memory for every message of the client.
 */
export const CONTENT_DEDUP_MAX_WINDOW_SECONDS = 7 * 24 * 60 * 60;

/**
 * The `dedup` option, checked (the HTTP schema checks the shape; the use-case has other callers and
 * repeats the rules): how long a message's content key stays claimed (ms), or undefined when the
 * client did not ask for content dedup. Without `windowSeconds`, the dedup window of the remote config.
 */
export function contentDedupWindowMs(
  request: Pick<SubmissionRequest, 'dedup'>,
  defaultWindowMs: number,
): number | undefined {
  const option = request.dedup;
  if (option === undefined) return undefined;
  if (typeof option.byContent !== 'boolean') {
    throw invalid('dedup.byContent', 'dedup.byContent must be true or false');
  }
  const { windowSeconds } = option;
  if (windowSeconds !== undefined) {
    if (!option.byContent) {
      throw invalid(
        'dedup.windowSeconds',
        'dedup.windowSeconds applies only with dedup.byContent: true; set byContent or leave the window out',
      );
    }
    if (
      !Number.isInteger(windowSeconds) ||
      windowSeconds < 1 ||
      windowSeconds > CONTENT_DEDUP_MAX_WINDOW_SECONDS
    ) {
      throw invalid(
        'dedup.windowSeconds',
        `dedup.windowSeconds must be a whole number of seconds from 1 to ${CONTENT_DEDUP_MAX_WINDOW_SECONDS} (7 days)`,
      );
    }
  }
  if (!option.byContent) return undefined;
  return windowSeconds === undefined ? defaultWindowMs : windowSeconds * 1000;
}

function invalid(field: string, message: string): HeraldError {
  return new HeraldError('HERALD_VALIDATION_FAILED', message, { field });
}
