import { pino } from 'pino';
import { redactedUrl } from './redact-url.ts';

export type Logger = pino.Logger;

/**
 * Paths that may carry personal data or secrets. Recipients travel as `to`, addresses as `email`,
 * device tokens as `token`, push users as `userId`; auth headers carry API keys. pino censors them wherever they appear
 * at these paths, so a careless `log.info({ envelope })` still leaks nothing.
 */
const REDACT_PATHS = [
  'to',
  '*.to',
  '*.*.to',
  'recipient',
  '*.recipient',
  'email',
  '*.email',
  'token',
  '*.token',
  'userId',
  '*.userId',
  'body',
  '*.body',
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'apiKey',
  '*.apiKey',
  // A vendor's settings or credentials logged by mistake: SENS/NHN secret keys, SOLAPI API secrets,
  // FCM service-account and APNs private keys, and the headers the text vendors sign with.
  'secret',
  '*.secret',
  'secretKey',
  '*.secretKey',
  'apiSecret',
  '*.apiSecret',
  'privateKey',
  '*.privateKey',
  'private_key',
  '*.private_key',
  'headers["x-secret-key"]',
  '*.headers["x-secret-key"]',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'herald' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { req: serializeRequest },
    },
    options.destination,
  );
}

/** What an HTTP request is logged as (Fastify's `{ req }`): its URL without the query string or a device token. */
interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly ip?: string;
  readonly socket?: { readonly remoteAddress?: string; readonly remotePort?: number };
}

function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactedUrl(request.url),
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  };
}

/** A logger that drops everything: for tests and library use without output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
