import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4, computed from the specification alone, so the simulator checks what
 * the AWS SDK signs without using the SDK's own signer (AWS Identity and Access Management User
 * Guide, "Create a signed AWS API request"; checked against the SigV4 test suite in
 * test/simulators/ses/sigv4.test.ts):
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
 *                      SignedHeaders \n hex(SHA256(payload))
 *   StringToSign     = "AWS4-HMAC-SHA256" \n X-Amz-Date \n <date>/<region>/<service>/aws4_request \n
 *                      hex(SHA256(CanonicalRequest))
 *   SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
 *   Signature        = hex(HMAC(SigningKey, StringToSign))
 */

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What one signed request is made of, as it arrived (header names in any case). */
export interface SigV4Request {
  readonly method: string;
  /** The path as on the wire (percent-encoded once), without the query. */
  readonly path: string;
  /** The raw query string without `?`, or ''. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** hex SHA-256 of the body. */
  readonly payloadHash: string;
}

export interface SigV4Scope {
  /** yyyymmdd */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding of everything but the unreserved characters A-Z a-z 0-9 - . _ ~ */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical URI of every service but S3: the path normalised (`.` and `..` resolved, empty
 * segments dropped) and each segment URI-encoded once more, as it was already encoded on the wire.
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = path.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/** Parameters sorted by encoded name then value, each name=value URI-encoded, joined by `&`. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [uriEncode(decodeQueryPart(name)), uriEncode(decodeQueryPart(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name:value\n` for each signed header, lower-case, values trimmed and inner spaces collapsed. */
export function canonicalHeaders(headers: SigV4Request['headers'], signed: readonly string[]): string {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value as string];
    byName.set(name.toLowerCase(), values.map((v) => v.trim().replace(/\s+/g, ' ')).join(','));
  }
  return signed.map((name) => `${name}:${byName.get(name) ?? ''}\n`).join('');
}

export function canonicalRequest(request: SigV4Request, signedHeaders: readonly string[]): string {
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(';'),
    request.payloadHash,
  ].join('\n');
}

export function credentialScope(scope: SigV4Scope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: SigV4Scope, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, credentialScope(scope), sha256Hex(canonical)].join('\n');
}

export function signingKey(secretAccessKey: string, scope: SigV4Scope): Buffer {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  return hmac(hmac(hmac(dateKey, scope.region), scope.service), 'aws4_request');
}

/** The hex signature of a request, signing `signedHeaders` (lower-case, sorted) at `amzDate`. */
export function sigV4Signature(
  request: SigV4Request,
  signedHeaders: readonly string[],
  amzDate: string,
  scope: SigV4Scope,
  secretAccessKey: string,
): string {
  const toSign = stringToSign(amzDate, scope, canonicalRequest(request, signedHeaders));
  return createHmac('sha256', signingKey(secretAccessKey, scope)).update(toSign).digest('hex');
}

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly scope: SigV4Scope;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Reads an Authorization header; undefined when it is not a well-formed SigV4 one. */
export function parseSigV4Authorization(header: string | undefined): SigV4Authorization | undefined {
  const match = header?.match(
    /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/,
  );
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signed, signature] = match;
  return {
    accessKeyId: accessKeyId!,
    scope: { date: date!, region: region!, service: service! },
    signedHeaders: signed!.split(';'),
    signature: signature!,
  };
}
