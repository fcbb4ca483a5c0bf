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

/** A PEM block, or the JSON of a Google service-account key pasted as a string. */
const PEM = /-----BEGIN [A-Z0-9 ]*-----/;
const SERVICE_ACCOUNT_JSON = /"private_key"\s*:|"type"\s*:\s*"service_account"/;
/** Base64 DER of a private key without its PEM lines: every PKCS#8/SEC1/PKCS#1 key starts "MI". */
const BARE_DER_BASE64 = /^MI[A-Za-z0-9+/]{60,}={0,2}$/;

const HOW =
  'secrets are never stored in the remote config (GET /admin/config returns it as stored); put the key ' +
  'in a file or an environment variable of the sending processes and name it, e.g. ' +
  '"credentials": {"file": "/etc/herald/fcm-service-account.json"} or "key": {"env": "HERALD_APNS_KEY"}';

export interface InlineSecrets {
  /** One line per finding, naming the field (as the schema errors do) and what to do instead. */
  readonly problems: string[];
  /** The fields named, so a schema error about the same field ("not a known field") is not listed twice. */
  readonly paths: ReadonlySet<string>;
}

export function findInlineSecrets(document: unknown): InlineSecrets {
  const problems: string[] = [];
  const paths = new Set<string>();
  const report = (path: string, what: string) => {
    paths.add(path);
    problems.push(`${path} ${what}: ${HOW}`);
  };
  const visit = (value: unknown, path: string, field: string | undefined) => {
    if (typeof value === 'string') {
      const secretish = looksLikeKeyMaterial(value);
      if (field !== undefined && SECRET_FIELD.test(field)) report(path, 'is a field for a secret');
      else if (field !== undefined && REFERENCE_FIELDS.has(field))
        report(path, 'must name where the secret is ({"file": ...} or {"env": ...}), not hold it');
      else if (secretish) report(path, `looks like key material (${secretish})`);
      return;
    }
    if (value === null || typeof value !== 'object') {
      if (field !== undefined && SECRET_FIELD.test(field)) report(path, 'is a field for a secret');
      return;
    }
    if (field !== undefined && SECRET_FIELD.test(field)) {
      report(path, 'is a field for a secret');
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : joinPath(path, key);
      visit(child, childPath, Array.isArray(value) ? field : key);
    }
  };
  visit(document, '', undefined);
  return { problems, paths };
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
