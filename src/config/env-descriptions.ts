/**
 * What each environment variable is for, in the words of the README's table (Markdown allowed).
 * Defaults and allowed values are not repeated here: they come from the reads in env-config.ts.
 * A variable read there without a line here (or the reverse) fails test/config/env-table.test.ts;
 * `npm run docs:env` rewrites the README's table from both.
 */
export const ENV_DESCRIPTIONS: Readonly<Record<string, string>> = {
  HERALD_HOST: 'listen address of the HTTP API (`0.0.0.0` in a container)',
  HERALD_PORT: 'HTTP port of the API (`0` = any free port); `herald send` calls this port by default',
  HERALD_METRICS_PORT:
    '`/health` and `/metrics` of a process without the API (`herald worker`, `herald retry-worker`, `herald history-writer`), on `HERALD_HOST` (`0` = any free port, logged at start); several workers on one host need one port each',
  HERALD_DATA_DIR: 'where the embedded SQLite files live; created 0700, its files 0600',
  HERALD_LOG_LEVEL: 'log level of the JSON log on stdout',
  HERALD_BOOTSTRAP_API_KEY:
    'an admin API key (client `default`, id `bootstrap`) stored at start, at least 32 characters; a new value replaces the old key at restart. Unset on the embedded default: a dev key is generated at the first start and shown once',
  HERALD_PARTITIONS: 'partitions per topic created at start',
  HERALD_SIMULATORS:
    'vendor simulators: `in-process`, `external` (a `herald sim` process at `HERALD_SIMULATOR_URL`) or `off`; must be set explicitly once a production engine is configured',
  HERALD_SIMULATOR_URL:
    'base URL of the external simulator process (required with `HERALD_SIMULATORS=external`)',
  HERALD_SIMULATOR_SMTP_PORT:
    "SMTP port of the external simulator process (`herald sim --smtp-port`), on the host of `HERALD_SIMULATOR_URL`: where vendor `smtp` at endpoint `simulator` sends (the in-process simulator's SMTP server takes any free port)",
  HERALD_SIMULATOR_LATENCY_MS: 'median latency of the in-process simulators',
  HERALD_SIMULATOR_CREDENTIALS_DIR:
    "the simulator's push credentials (a service-account key per FCM simulator vendor, a `.p8` key per APNs one), generated once, files 0600: what herald's FCM and APNs adapters sign with when a vendor's `endpoint` is `simulator` and what the simulator trusts; give `herald sim --credentials-dir` the same directory (default: `$HERALD_DATA_DIR/simulator-credentials`)",
  HERALD_RECIPIENT_HASH_SECRET:
    'HMAC secret of the recipient lookup hash in history and of the opt-out list, at least 32 characters (`openssl rand -base64 32`); required once a production engine is configured (the embedded default falls back to a published development secret and warns at start)',
  HERALD_WEBHOOK_KEY:
    "key (base64 of 32 bytes: `openssl rand -base64 32`) that seals clients' webhook signing secrets at rest; unset: generated once as `webhook.key` in the data directory, which suits one machine only. Every herald process needs the same one; a changed key leaves registered secrets unreadable (clients re-register)",
  HERALD_UNSUBSCRIBE_SECRET:
    'HMAC secret that signs the one-click unsubscribe links of ad e-mail (`/v1/unsubscribe/<token>`), at least 32 characters; unset: derived from `HERALD_RECIPIENT_HASH_SECRET`. Every herald process needs the same one; changing it invalidates the links in mail already sent',
  HERALD_SOLAPI_WEBHOOK_SECRET:
    "shared secret of SOLAPI's message-report webhook, at least 32 characters: set the webhook URL at SOLAPI to `<public URL>/v1/receipts/solapi?token=<secret>` (SOLAPI signs nothing, and the request log drops query strings); unset: no SOLAPI webhook, receipts come by look-up only",
  HERALD_SNS_CERT_HOSTS:
    "hosts SNS' `SigningCertURL` may name for SES bounce and delivery notifications (`POST /ses/notifications`), comma-separated; a notification signed by a certificate elsewhere is refused (default `sns.ap-northeast-2.amazonaws.com`)",
  HERALD_SES_SNS_TOPIC_ARNS:
    'the SNS topics herald subscribed to SES notifications, comma-separated; unset: any topic whose message verifies',
  HERALD_PUBLIC_URL:
    'base URL at which mailboxes and people reach the API, for the unsubscribe links of ad e-mail (e.g. `https://herald.example.com`); unset: the address the API listens on, which only suits a local try-out',
  HERALD_TRANSPORT_RETENTION_HOURS:
    'how long the embedded log keeps a record once every consumer group reading its topic committed it',
  HERALD_NIGHT_AD_RELEASE_PER_SECOND:
    'night ads (deferred until 08:00 KST) each retry worker releases per second, per lane: the pace of the morning wave, so it never floods the ad lane ahead of its ordinary retries and new ads',
  HERALD_TEMPLATE_SYNC_INTERVAL_MS:
    'how often a process running retry workers syncs AlimTalk template states from the vendors (`herald templates sync`; first run a minute after start); 0 turns it off',
  HERALD_SHUTDOWN_TIMEOUT_MS: 'upper bound of a graceful shutdown',
  HERALD_BACKGROUND_NICE:
    'a `herald worker` running only batch/ad lanes, and `herald history-writer`, lower their CPU priority by this (0: off), so a shared host runs realtime first',
  HERALD_BODY_LIMIT_BYTES:
    'largest request body; a larger one is refused with `413 HERALD_PAYLOAD_TOO_LARGE`',
  HERALD_REQUEST_CONTENT_LIMIT_BYTES:
    "most text the messages of one request carry together (each recipient's copy, as encoded for the transport); beyond it `413 HERALD_MESSAGES_TOO_LARGE`",
  HERALD_TRUST_PROXY:
    'load balancers in front of the API (IP addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` names the client address that failed-auth throttling counts per',
  HERALD_HTTP_REQUEST_TIMEOUT_MS:
    'the whole request (headers and body) must arrive within this, else `408 HERALD_REQUEST_TIMEOUT` and the connection closes: a client trickling its body is cut off',
  HERALD_HTTP_HEADERS_TIMEOUT_MS:
    'the request headers must arrive within this (at most the request time-out), else `408`',
  HERALD_HTTP_KEEP_ALIVE_TIMEOUT_MS:
    'an idle keep-alive connection is closed after this; keep it above the idle time-out of a load balancer in front',
  HERALD_HTTP_MAX_CONNECTIONS:
    'open connections the API holds at most; further ones are closed as they arrive (and logged)',
  HERALD_KAFKA_BROKERS:
    'Kafka bootstrap brokers; when set, the transport is Kafka instead of the embedded log',
  HERALD_KAFKA_COMPRESSION: 'compression of produced Kafka batches',
  HERALD_REDIS_URL:
    'Redis for the dedup store (unset: SQLite); e.g. `redis://:password@host:6379/0`, `redis+cluster://h1:7000,h2:7000`',
  HERALD_DATABASE_URL:
    'PostgreSQL for history and config (unset: SQLite); e.g. `postgres://user:password@host:5432/db`',
  HERALD_NAMESPACE:
    'separates installations sharing Kafka, Redis and PostgreSQL: prefixes topics, consumer groups and Redis keys, names the PostgreSQL schema (unset: `herald`)',
  HERALD_URL: '`herald send`: base URL of the herald to call (default: `http://127.0.0.1:$HERALD_PORT`)',
  HERALD_API_KEY:
    '`herald send`: the API key to call with (else `HERALD_BOOTSTRAP_API_KEY`); `--key` overrides it',
};
