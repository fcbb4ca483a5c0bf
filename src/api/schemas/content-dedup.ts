import { Type } from 'typebox';
import { CONTENT_DEDUP_MAX_WINDOW_SECONDS } from '../../core/submission/check-dedup-option.ts';

/** The request's `dedup` member. */
export const ContentDedupSchema = Type.Object(
  {
    byContent: Type.Boolean({
      description:
        'true: a recipient who was sent the same content on the same channel by an earlier ' +
        'request within windowSeconds is answered duplicate (the earlier messageId), not sent again',
    }),
    windowSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: CONTENT_DEDUP_MAX_WINDOW_SECONDS,
        description:
          'How long an accepted message answers repeats of its content duplicate (only with byContent: ' +
          'true); the window of the request that accepted it applies. Default: the dedup window (24 h)',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Content dedup, off by default: without it every request is new (two orders, two messages). ' +
      'For "never the same text to the same person twice in N seconds"',
  },
);
