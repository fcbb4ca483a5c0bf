import { isIP } from 'node:net';

export type Env = Readonly<Record<string, string | undefined>>;

/** One environment variable as the README's table shows it. */
export interface EnvVariable {
  readonly name: string;
  /** The value used when the variable is unset; undefined when unset means "off" or "none". */
  readonly fallback: string | undefined;
  /** What the variable accepts, in words. */
  readonly allows: string;
}

/**
 * Reads variables, pushing a readable problem for each invalid one, and notes what each read
 * allows and falls back to (to `onRead`): the README's variable table is generated from them.
 */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: string[];
  readonly #onRead: ((variable: EnvVariable) => void) | undefined;

  constructor(env: Env, problems: string[], onRead?: (variable: EnvVariable) => void) {
    this.#env = env;
    this.#problems = problems;
    this.#onRead = onRead;
  }

  #raw(name: string, fallback: string | number | undefined, allows: string): string | undefined {
    this.#onRead?.({ name, fallback: fallback === undefined ? undefined : String(fallback), allows });
    return this.#given(name);
  }

  #given(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === '' ? undefined : value;
  }

  /** Whether the variable was given at all (a default is not a choice the operator made). */
  isSet(name: string): boolean {
    return this.#given(name) !== undefined;
  }

  string(name: string, fallback: string): string {
    return this.#raw(name, fallback, 'text') ?? fallback;
  }

  optionalString(name: string, minLength: number, hint?: string): string | undefined {
    const value = this.#raw(
      name,
      undefined,
      minLength > 1 ? `text of at least ${minLength} characters` : 'text',
    );
    if (value !== undefined && value.length < minLength) {
      // The length only: the value may be a secret.
      const how = hint ? `; ${hint}` : '';
      this.#problems.push(`${name} must be at least ${minLength} characters, got ${value.length}${how}`);
    }
    return value;
  }

  optionalUrl(name: string, protocols: readonly string[]): string | undefined {
    return this.#url(name, protocols, undefined);
  }

  url(name: string, protocols: readonly string[], fallback: string): string {
    return this.#url(name, protocols, fallback) ?? fallback;
  }

  #url(name: string, protocols: readonly string[], fallback: string | undefined): string | undefined {
    const schemes = protocols.map((p) => `${p}//`).join(' or ');
    const value = this.#raw(name, fallback, `URL starting with ${schemes}`);
    if (value === undefined) return undefined;
    if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
      this.#problems.push(`${name} must be a URL starting with ${schemes}, got "${redactUrl(value)}"`);
    }
    return value;
  }

  /** A value checked by the parser of the code that uses it, so both accept exactly the same. */
  parsed(name: string, parse: (value: string) => unknown, allows: string): string | undefined {
    const value = this.#raw(name, undefined, allows);
    if (value === undefined) return undefined;
    try {
      parse(value);
    } catch (error) {
      this.#problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return value;
  }

  matching(name: string, pattern: RegExp, allowed: string): string | undefined {
    const value = this.#raw(name, undefined, allowed);
    if (value !== undefined && !pattern.test(value)) {
      this.#problems.push(`${name} must be ${allowed}, got "${value}"`);
    }
    return value;
  }

  /** `host:port[,host:port...]`, as Kafka clients take bootstrap servers. */
  brokerList(name: string): string[] | undefined {
    const value = this.#raw(name, undefined, 'host:port[,host:port...]');
    if (value === undefined) return undefined;
    const brokers = value.split(',').map((broker) => broker.trim());
    if (brokers.some((broker) => !/^[^\s:,]+:\d{1,5}$/.test(broker))) {
      this.#problems.push(`${name} must be host:port[,host:port...], got "${value}"`);
    }
    return brokers;
  }

  /** `addr[,addr...]`, each an IPv4/IPv6 address or a CIDR range (10.0.0.0/8). */
  addressList(name: string): string[] {
    const value = this.#raw(name, undefined, 'IP addresses or CIDR ranges, comma-separated');
    if (value === undefined) return [];
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isAddressOrRange(entry));
    if (bad.length > 0) {
      this.#problems.push(
        `${name} must be IP addresses or CIDR ranges, comma-separated; not: ${bad.join(', ')}`,
      );
    }
    return entries;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.#raw(name, fallback, `integer from ${min} to ${max}`);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.#problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.#raw(name, fallback, `one of ${allowed.join(', ')}`);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A URL as it may appear in an error message: without its password. */
function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
