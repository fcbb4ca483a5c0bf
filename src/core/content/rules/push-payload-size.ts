import { HeraldError } from '../../domain/errors.ts';
import { PUSH_PAYLOAD_MAX_BYTES, pushPayloadBytes } from '../push-payload.ts';
import type { ContentRule } from './content-under-check.ts';
import { renderedFor } from './content-under-check.ts';

/**
 * A push travels as one payload of at most 4096 bytes (FCM and APNs alike): the title, the body and
 * the request's `push` options together. Judged on each recipient's rendered text, so a long name
 * in one recipient's variables refuses that recipient alone; the options are the request's.
 */
export const pushPayloadSize: ContentRule = {
  name: 'push payload size',
  judges: 'whole text',
  check(content) {
    if (content.channel !== 'push') return undefined;
    const bytes = pushPayloadBytes(content.subject, content.body, content.push);
    if (bytes <= PUSH_PAYLOAD_MAX_BYTES) return undefined;
    const parts = content.push === undefined ? 'subject and body' : 'subject, body and push options';
    return new HeraldError(
      'HERALD_BODY_TOO_LONG',
      `the push payload (${content.source}.${parts}${renderedFor(content)}, as JSON with herald's own ` +
        `fields) is ${bytes} bytes, over ${PUSH_PAYLOAD_MAX_BYTES} bytes, the limit of FCM and APNs; ` +
        'shorten the text or the push data',
      { field: `${content.source}.body` },
    );
  },
};
