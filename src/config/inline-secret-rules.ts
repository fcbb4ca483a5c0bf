/**
 * The remote config holds references to secrets, never secrets: it is stored in the config store,
 * read back by GET /admin/config and copied to every process. This rule looks through a whole
 * document, whatever its shape, for anything that looks like key material and says how to
 * reference it instead. It never repeats the value it found (that would put the secret in an error
 * answer and a log line).
 */

/** Field names that only ever hold a secret (service-account JSON: private_key; hand-made: privateKey). */
const SECRET_FIELD =
  /^(private[_-]?key([_-]?(pem|p8|data))?|client[_-]?secret|secret([_-]?key)?|password|passphrase|signing[_-]?key|auth[_-]?key|p8|pem|service[_-]?account)$/i;

/** Fields that must be a reference object ({file} or {env}); a string there is the secret itself. */
const REFERENCE_FIELDS = new Set(['credentials', 'key']);

/** Objects of the document whose keys are ids (a vendor called "secret" is no secret). */
const ID_MAPS = new Set(['vendors', 'rateLimits.clients']);

/** A PEM block, or the JSON of a Google service-account key pasted as a string. */
const PEM = /-----BEGIN [A-Z0-9 ]*-----/;
const SERVICE_ACCOUNT_JSON = /"private_key"\s*:|"type"\s*:\s*"service_account"/;
/** Base64 DER of a private key without its PEM lines: every PKCS#8/SEC1/PKCS#1 key starts "MI". */
const BARE_DER_BASE64 = /MI[A-Za-z0-9+/]{80,}/;

const HOW =
  'secrets are never stored in the remote config (GET /admin/config returns it as stored); put the key ' +
  'in a file or an environment variable of the sending processes and name it, e.g. ' +
  '"credentials": {"file": "/etc/herald/fcm-service-account.json"}, "key": {"env": "HERALD_APNS_KEY"} or ' +
  'dkim "privateKey": {"file": "/etc/herald/dkim.pem"}';

export interface InlineSecrets {
  /** One line per finding, naming the field (as the schema errors do) and what to do instead. */
  readonly problems: string[];
  /** The fields named, so a schema error about the same field ("not a known field") is not listed twice. */
  readonly paths: ReadonlySet<string>;
}

export function findInlineSecrets(document: unknown): InlineSecrets {
  const problems: string[] = [];
  const paths = new Set<string>();
  walkSecrets(document, ({ path, what }) => {
    paths.add(path);
    problems.push(`${path} ${what}: ${HOW}`);
  });
  return { problems, paths };
}

/**
 * A copy of `document` without anything findInlineSecrets would report: what GET /admin/config
 * answers, so even a document written into the store by hand (past every PUT check) cannot carry
 * key material out through the API. A current document has nothing to remove.
 */
export function withoutInlineSecrets<T>(document: T): T {
  const copy = structuredClone(document);
  walkSecrets(copy, ({ container, key }) => {
    delete (container as Record<string, unknown>)[key];
  });
  return copy;
}

interface Finding {
  readonly path: string;
  readonly what: string;
  readonly container: object;
  readonly key: string;
}

/** Calls `found` for each secret-looking value (a found value's children are not visited). */
function walkSecrets(document: unknown, found: (finding: Finding) => void): void {
  const visit = (value: unknown, path: string, field: string | undefined, container: object, key: string) => {
    const what = secretIn(value, field);
    if (what !== undefined) {
      found({ path, what, container, key });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [childKey, child] of Object.entries(value)) {
      if (Array.isArray(value)) {
        // An element counts as its array's field: redacting it takes the whole field out.
        visit(child, `${path}[${childKey}]`, field, container, key);
        continue;
      }
      // Under `vendors` and `rateLimits.clients` a key is an id, not a field name.
      const childField = ID_MAPS.has(path) ? undefined : childKey;
      visit(child, joinPath(path, childKey), childField, value, childKey);
    }
  };
  if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
    for (const [key, child] of Object.entries(document)) visit(child, joinPath('', key), key, document, key);
  }
}

/** Why `value` under `field` is a secret, or undefined. */
function secretIn(value: unknown, field: string | undefined): string | undefined {
  // A reference names where the secret is (smtp's dkim.privateKey: {"file": ...}); its file or env
  // is still looked at below, as every string is.
  if (field !== undefined && SECRET_FIELD.test(field) && !isReference(value))
    return 'is a field for a secret';
  if (typeof value !== 'string') return undefined;
  if (field !== undefined && REFERENCE_FIELDS.has(field)) {
    return 'must name where the secret is ({"file": ...} or {"env": ...}), not hold it';
  }
  const material = looksLikeKeyMaterial(value);
  return material === undefined ? undefined : `looks like key material (${material})`;
}

/** `{"file": "..."}` or `{"env": "..."}` (or both: the rules say which is wrong), nothing else. */
function isReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(([key, child]) => (key === 'file' || key === 'env') && typeof child === 'string')
  );
}

function looksLikeKeyMaterial(text: string): string | undefined {
  if (PEM.test(text)) return 'a PEM block';
  if (SERVICE_ACCOUNT_JSON.test(text)) return 'a service-account key file';
  if (BARE_DER_BASE64.test(text.replace(/\s+/g, ''))) return 'a base64 private key';
  return undefined;
}

/** The path form of the schema errors (validation-errors.ts): `vendors.fcm-b.key`, `a["odd key"]`. */
function joinPath(path: string, segment: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return path ? `${path}.${segment}` : segment;
  return `${path}[${JSON.stringify(segment)}]`;
}
