/**
 * Where herald's Redis is, from one URL: a standalone server or a Redis Cluster.
 *
 *   redis://[user:password@]host:port[/db]            standalone
 *   rediss://...                                       standalone over TLS
 *   redis+cluster://[user:password@]h1:p1,h2:p2        cluster, seeded from these nodes
 *   redis://h1:p1,h2:p2                                cluster too (several nodes can only be one)
 *
 * The WHATWG URL parser rejects a host list, so the authority is split by hand; everything else
 * (user, password, db) is read the usual way.
 */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisTarget {
  readonly cluster: boolean;
  readonly nodes: readonly RedisNode[];
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Database index; standalone only (a cluster has database 0 alone). */
  readonly db: number;
}

const SCHEMES: Record<string, { cluster: boolean; tls: boolean }> = {
  'redis:': { cluster: false, tls: false },
  'rediss:': { cluster: false, tls: true },
  'redis+cluster:': { cluster: true, tls: false },
  'rediss+cluster:': { cluster: true, tls: true },
};

const DEFAULT_PORT = 6379;

export function parseRedisUrl(url: string, forceCluster = false): RedisTarget {
  const match = /^([a-z+]+:)\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/(\d*))?\/?$/i.exec(url.trim());
  const scheme = match && SCHEMES[match[1]!.toLowerCase()];
  if (!match || !scheme) {
    throw new Error(
      `not a Redis URL: ${redactPassword(url)} (expected redis://, rediss:// or redis+cluster://)`,
    );
  }
  const nodes = match[3]!.split(',').map(parseNode);
  const cluster = scheme.cluster || forceCluster || nodes.length > 1;
  const db = match[4] ? Number(match[4]) : 0;
  if (cluster && db !== 0) throw new Error('a Redis Cluster has only database 0');
  const [username, password] = splitUserInfo(match[2]);
  return {
    cluster,
    nodes,
    tls: scheme.tls,
    db,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
  };
}

/** For error messages and logs: the URL with its password replaced. */
export function redactPassword(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function parseNode(text: string): RedisNode {
  // [::1]:6379 for IPv6, host:port otherwise; the port may be left out.
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a Redis host[:port]: ${text}`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  const port = match[2] ? Number(match[2]) : DEFAULT_PORT;
  if (port < 1 || port > 65_535) throw new Error(`not a TCP port: ${match[2]}`);
  return { host, port };
}

function splitUserInfo(userInfo: string | undefined): [string | undefined, string | undefined] {
  if (!userInfo) return [undefined, undefined];
  const colon = userInfo.indexOf(':');
  if (colon === -1) return [decodeURIComponent(userInfo), undefined];
  const username = decodeURIComponent(userInfo.slice(0, colon));
  // redis://:password@host is the classic AUTH-only form: no user name.
  return [username === '' ? undefined : username, decodeURIComponent(userInfo.slice(colon + 1))];
}
