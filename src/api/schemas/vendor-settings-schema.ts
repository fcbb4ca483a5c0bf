import { Type } from 'typebox';
import { VENDOR_DEFINITION_KINDS } from '../../core/domain/remote-config.ts';
import { Bounded } from './config-bounds-schema.ts';

/**
 * One vendor's settings in the remote config (`vendors.<id>`): its kind, time limit, breaker and
 * what its adapter is built from, by reference to secrets (never the secrets). Which fields each
 * kind takes is checked with the rest of the document (remote-config-rules.ts).
 */

/** The https origin of a real FCM/APNs endpoint (no credentials, query or fragment), or `simulator`. */
const ENDPOINT = '^(simulator|https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?)$';
/** A Google Cloud project id (6-30 of a-z 0-9 -, starting with a letter) or a project number. */
const PROJECT_ID = '^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})$';
/** Apple key ids and team ids: 10 characters, A-Z and 0-9. */
const APPLE_ID = '^[A-Z0-9]{10}$';
/** An iOS bundle id, possibly with a push-type suffix (.voip, .complication, .push-type.liveactivity). */
const TOPIC = '^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$';
/** NHN appKeys, SENS access key ids, SOLAPI API keys: letters and digits. */
const ACCOUNT_ID = '^[A-Za-z0-9]{8,64}$';
const SENS_SERVICE_ID = '^ncp:[a-z]+:[a-z]+:[0-9]+:[A-Za-z0-9_-]+$';
const SMTP_HOST = '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$';
/** Dot-separated DNS labels of letters, digits and inner hyphens (a DKIM domain or selector). */
const DNS_NAME =
  '^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$';
/** Printable ASCII without spaces: no CR/LF reaches the AUTH exchange. */
const SMTP_USER = '^[\\x21-\\x7e]+$';
/** An address, or a display name and an address in angle brackets; no control characters. */
const SMTP_FROM = '^([^\\x00-\\x1f\\x7f<>]* <)?[^\\s@<>]+@[A-Za-z0-9.-]+>?$';
/** An AWS region name (ap-northeast-2, us-east-1). */
const AWS_REGION = '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$';
/** SES configuration set names: letters, digits, _ and -, up to 64. */
const SES_CONFIGURATION_SET = '^[A-Za-z0-9_-]{1,64}$';
const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';

const SecretReference = (what: string) =>
  Type.Object(
    {
      file: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 4096,
          description: `Path of the file holding the ${what}, as the sending process sees it`,
        }),
      ),
      env: Type.Optional(
        Type.String({
          pattern: ENV_NAME,
          description: `Name of the environment variable holding the ${what}`,
        }),
      ),
    },
    {
      additionalProperties: false,
      description:
        `Where the ${what} is (exactly one of file or env), never the ${what} itself: read by each ` +
        'sending process when it builds the adapter, so the config store holds only the name',
    },
  );

export const VendorSettings = Type.Object(
  {
    kind: Type.Optional(
      Type.Enum(VENDOR_DEFINITION_KINDS, {
        type: 'string',
        description:
          "What the adapter speaks: herald's simulator contract (default, as in documents of an older " +
          'herald), FCM HTTP v1, APNs, NHN Cloud SMS v3.0 or AlimTalk v2.3, NAVER Cloud SENS SMS or ' +
          'AlimTalk, SOLAPI v4 SMS or AlimTalk, an SMTP relay, Amazon SES API v2',
      }),
    ),
    timeoutMs: Bounded('timeoutMs', 'Hard time limit of one vendor call'),
    breakerThreshold: Bounded(
      'breakerThreshold',
      'Consecutive faults that open the circuit, provided at least half of the calls of the last 10 s failed',
    ),
    breakerHalfOpenAfterMs: Bounded(
      'breakerHalfOpenAfterMs',
      'Wait before one trial call through an open circuit',
    ),
    maxPerSecond: Type.Optional(
      Bounded(
        'maxPerSecond',
        "Messages a second this vendor takes from each lane, paced before the call (waiting counts against neither the vendor's time limit nor its breaker)",
      ),
    ),
    endpoint: Type.Optional(
      Type.String({
        pattern: ENDPOINT,
        maxLength: 2048,
        description:
          'Every kind but simulator: `simulator` (the simulator this deployment runs, with its generated ' +
          'credentials) or the https origin to send to; default the public API (https://fcm.googleapis.com, ' +
          "for APNs the host of `environment`, the text vendors' origins of docs/vendor-contracts)",
      }),
    ),
    projectId: Type.Optional(
      Type.String({
        pattern: PROJECT_ID,
        description: "fcm: the Firebase project; default: the service account's",
      }),
    ),
    credentials: Type.Optional(
      SecretReference(
        'service-account key JSON (fcm), the secret key / API secret (text vendors), the AUTH password (smtp), or the secret access key (ses)',
      ),
    ),
    accountId: Type.Optional(
      Type.String({
        pattern: ACCOUNT_ID,
        description:
          'Text vendors: NHN appKey, SENS access key id, SOLAPI API key; ses: the IAM access key id (ids, not secrets)',
      }),
    ),
    serviceId: Type.Optional(
      Type.String({
        pattern: SENS_SERVICE_ID,
        description: 'sens-sms / sens-alimtalk: the service id of the SENS project (ncp:sms:kr:...)',
      }),
    ),
    environment: Type.Optional(
      Type.Union([Type.Literal('production'), Type.Literal('sandbox')], {
        description: 'apns: which APNs (api.push.apple.com or api.sandbox.push.apple.com)',
      }),
    ),
    keyId: Type.Optional(
      Type.String({ pattern: APPLE_ID, description: 'apns: the 10-character id of the .p8 key' }),
    ),
    teamId: Type.Optional(Type.String({ pattern: APPLE_ID, description: 'apns: the 10-character team id' })),
    key: Type.Optional(SecretReference('APNs .p8 private key (apns)')),
    topic: Type.Optional(
      Type.String({
        pattern: TOPIC,
        description: "apns: apns-topic of a message whose device names no app (default: the app's bundle id)",
      }),
    ),
    host: Type.Optional(
      Type.String({ pattern: SMTP_HOST, maxLength: 253, description: 'smtp: the relay host name or IP' }),
    ),
    port: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65_535,
        description: 'smtp: the relay port, 1..65535; default 587 (starttls) or 465 (implicit)',
      }),
    ),
    tls: Type.Optional(
      Type.Union([Type.Literal('starttls'), Type.Literal('implicit')], {
        description: 'smtp: STARTTLS required on a plain connection (default), or TLS from the start',
      }),
    ),
    user: Type.Optional(
      Type.String({ pattern: SMTP_USER, maxLength: 256, description: 'smtp: the AUTH user name' }),
    ),
    from: Type.Optional(
      Type.String({
        pattern: SMTP_FROM,
        maxLength: 320,
        description:
          'smtp, ses: From of a message that names none (`no-reply@example.com` or `Name <no-reply@example.com>`)',
      }),
    ),
    region: Type.Optional(
      Type.String({
        pattern: AWS_REGION,
        maxLength: 32,
        description: 'ses: the AWS region of the SES account',
      }),
    ),
    configurationSet: Type.Optional(
      Type.String({
        pattern: SES_CONFIGURATION_SET,
        description: 'ses: the configuration set every message is sent with (none by default)',
      }),
    ),
    messageIdDomain: Type.Optional(
      Type.String({
        pattern: SMTP_HOST,
        maxLength: 253,
        description: 'smtp: the domain of the Message-ID `<messageId@domain>` (default herald.local)',
      }),
    ),
    tlsCa: Type.Optional(
      SecretReference(
        "smtp: CA certificates (PEM) the relay's certificate must chain to, instead of the bundled roots",
      ),
    ),
    dkim: Type.Optional(
      Type.Object(
        {
          domainName: Type.String({
            pattern: DNS_NAME,
            maxLength: 253,
            description: 'The signing domain (d=), e.g. example.com',
          }),
          keySelector: Type.String({
            pattern: DNS_NAME,
            maxLength: 63,
            description: 'The selector (s=): the key is published at <keySelector>._domainkey.<domainName>',
          }),
          privateKey: SecretReference('DKIM RSA private key, PEM (smtp dkim)'),
        },
        {
          additionalProperties: false,
          description: 'smtp: DKIM-sign every message (rsa-sha256, relaxed/relaxed); absent: unsigned',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Time limit, breaker, rate, and what the adapter is built from. Which fields each kind takes is checked ' +
      'with the rest of the document (remote-config-rules.ts)',
  },
);
