import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../core/domain/errors.ts';

/**
 * Refuses a body with a Content-Encoding other than identity. Fastify does not look at the header,
 * so a gzip body reached the JSON parser as bytes and failed as "not JSON"; decoding it instead would
 * need a decompression-bomb guard for no client that needs it (request bodies are small). Runs before
 * the body is read, after authentication.
 */
export function refuseContentEncodings(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !isIdentity(encoding)) {
      throw new HeraldError(
        'HERALD_UNSUPPORTED_CONTENT_ENCODING',
        `Content-Encoding "${encoding.slice(0, 64)}" is not accepted: send the body uncompressed`,
      );
    }
    return payload;
  });
}

/** `identity`, or a list of nothing but identity (`identity, identity`), in any case. */
function isIdentity(encoding: string): boolean {
  return encoding.split(',').every((coding) => ['', 'identity'].includes(coding.trim().toLowerCase()));
}
