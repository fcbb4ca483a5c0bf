import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../core/domain/errors.ts';
import { firstInvalidUtf8Offset } from './utf8-offset.ts';

/**
 * Replaces Fastify's application/json parser, which decodes the body leniently: invalid UTF-8
 * became U+FFFD and was sent on to recipients as "�". This one reads the body as bytes (Fastify
 * still enforces the body limit and Content-Length), decodes it strictly and refuses invalid UTF-8
 * with the byte offset, then parses with Fastify's own JSON parser, which keeps its
 * prototype-poisoning protection (`__proto__` and `constructor.prototype` keys are errors).
 */
export function installStrictJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const offset = firstInvalidUtf8Offset(bytes);
      done(
        new HeraldError(
          'HERALD_INVALID_UTF8',
          `the request body is not valid UTF-8 at byte ${offset}; send JSON encoded as UTF-8 (not EUC-KR or CP949)`,
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });
}
