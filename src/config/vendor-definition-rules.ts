import {
  type RemoteConfigDocument,
  type SecretReference,
  SIMULATOR_ENDPOINT,
  type SmtpVendorSettings,
  type TextVendorKind,
  type TextVendorSettings,
  VENDOR_DEFINITION_KINDS,
  type VendorDefinitionKind,
  type VendorSettings,
} from '../core/domain/remote-config.ts';
import type { VendorCatalogue } from '../ports/vendor.ts';
import { SIMULATOR_TEXT_VENDORS } from '../simulators/text/text-trust.ts';
import { SIMULATOR_PUSH_PROVIDERS } from './default-remote-config.ts';
import { isTextVendorKind, kindOf } from './vendor-definitions.ts';

/**
 * The rules of vendor definitions (`vendors[id]`) the schema cannot say: which fields each kind
 * takes, what a real endpoint needs, and that a vendor pointed at the simulator is one the
 * simulator serves with that contract. `simulated` is what this deployment's simulator hosts
 * (empty when HERALD_SIMULATORS=off). Every problem is listed, each naming the field.
 */
export function vendorDefinitionViolations(
  document: RemoteConfigDocument,
  simulated: VendorCatalogue,
): string[] {
  const violations: string[] = [];
  for (const [id, settings] of Object.entries(document.vendors)) {
    const kind = kindOf(settings);
    violations.push(...foreignFields(id, kind, settings));
    if (kind === 'fcm') violations.push(...fcmViolations(id, settings, simulated));
    if (kind === 'apns') violations.push(...apnsViolations(id, settings, simulated));
    if (isTextVendorKind(kind)) violations.push(...textVendorViolations(id, settings, simulated));
    if (kind === 'smtp') violations.push(...smtpViolations(id, settings, simulated));
    if (kind === 'ses') violations.push(...sesViolations(id, settings, simulated));
  }
  return violations;
}

/** The fields of each kind beyond the time limit and breaker. */
const KIND_FIELDS: Readonly<Record<VendorDefinitionKind, readonly string[]>> = {
  simulator: [],
  fcm: ['endpoint', 'projectId', 'credentials'],
  apns: ['endpoint', 'environment', 'keyId', 'teamId', 'key', 'topic'],
  'nhn-sms': ['endpoint', 'accountId', 'credentials'],
  'nhn-alimtalk': ['endpoint', 'accountId', 'credentials'],
  'sens-sms': ['endpoint', 'accountId', 'credentials', 'serviceId'],
  'sens-alimtalk': ['endpoint', 'accountId', 'credentials', 'serviceId'],
  'solapi-sms': ['endpoint', 'accountId', 'credentials'],
  'solapi-alimtalk': ['endpoint', 'accountId', 'credentials'],
  'solapi-vms': ['endpoint', 'accountId', 'credentials'],
  smtp: [
    'endpoint',
    'host',
    'port',
    'tls',
    'user',
    'credentials',
    'from',
    'messageIdDomain',
    'dkim',
    'tlsCa',
  ],
  ses: ['endpoint', 'region', 'accountId', 'credentials', 'from', 'configurationSet'],
};
const POLICY_FIELDS = new Set([
  'kind',
  'timeoutMs',
  'breakerThreshold',
  'breakerHalfOpenAfterMs',
  'maxPerSecond',
]);

function foreignFields(id: string, kind: VendorDefinitionKind, settings: VendorSettings): string[] {
  const own = new Set(KIND_FIELDS[kind]);
  return Object.keys(settings)
    .filter((field) => !POLICY_FIELDS.has(field) && !own.has(field))
    .map((field) => {
      const kinds = VENDOR_DEFINITION_KINDS.filter((k) => KIND_FIELDS[k].includes(field));
      const of = kinds.length > 2 ? `of the kinds ${kinds.join(', ')}` : `of kind ${kinds.join(' or ')}`;
      return `vendors.${id}.${field} is a setting ${of}, and vendor "${id}" is of kind ${kind}`;
    });
}

/** Fields refused with endpoint `simulator`: the simulator trusts only its generated credentials. */
const GENERATED = (what: string) =>
  `with endpoint "simulator" the adapter uses the simulator's generated ${what} ` +
  '(HERALD_SIMULATOR_CREDENTIALS_DIR); leave it out, or set endpoint to the https origin of the real service';

function fcmViolations(id: string, settings: VendorSettings, simulated: VendorCatalogue): string[] {
  if (settings.kind !== 'fcm') return [];
  const at = `vendors.${id}`;
  if (settings.endpoint === SIMULATOR_ENDPOINT) {
    return [
      ...(settings.credentials ? [`${at}.credentials: ${GENERATED('service account')}`] : []),
      ...(settings.projectId ? [`${at}.projectId: ${GENERATED('service account and its project')}`] : []),
      ...simulatorServes(id, 'fcm', simulated),
    ];
  }
  if (!settings.credentials) {
    return [
      `${at}.credentials is required for a real FCM endpoint: name the service-account key file ` +
        '({"file": "/etc/herald/fcm-service-account.json"}) or an environment variable holding its JSON ' +
        '({"env": "HERALD_FCM_SERVICE_ACCOUNT"})',
    ];
  }
  return referenceViolations(`${at}.credentials`, settings.credentials);
}

function apnsViolations(id: string, settings: VendorSettings, simulated: VendorCatalogue): string[] {
  if (settings.kind !== 'apns') return [];
  const at = `vendors.${id}`;
  const violations: string[] = [];
  if (settings.environment === undefined) {
    violations.push(`${at}.environment is required for kind apns: production or sandbox (which APNs host)`);
  }
  if (settings.endpoint === SIMULATOR_ENDPOINT) {
    for (const field of ['keyId', 'teamId', 'key'] as const) {
      if (settings[field] !== undefined) violations.push(`${at}.${field}: ${GENERATED('.p8 key')}`);
    }
    return [...violations, ...simulatorServes(id, 'apns', simulated)];
  }
  if (settings.keyId === undefined) violations.push(`${at}.keyId is required for a real APNs endpoint`);
  if (settings.teamId === undefined) violations.push(`${at}.teamId is required for a real APNs endpoint`);
  if (settings.key === undefined) {
    violations.push(
      `${at}.key is required for a real APNs endpoint: name the .p8 file ({"file": "/etc/herald/AuthKey.p8"}) ` +
        'or an environment variable holding it ({"env": "HERALD_APNS_KEY"})',
    );
  } else {
    violations.push(...referenceViolations(`${at}.key`, settings.key));
  }
  return violations;
}

/** What each text vendor calls the two parts of herald's account there. */
const TEXT_ACCOUNT_NAMES: Readonly<Record<TextVendorKind, { id: string; secret: string }>> = {
  'nhn-sms': { id: 'the appKey', secret: 'the secret key (X-Secret-Key)' },
  'nhn-alimtalk': { id: 'the appkey', secret: 'the secret key (X-Secret-Key)' },
  'sens-sms': { id: 'the access key id', secret: 'the secret key' },
  'sens-alimtalk': { id: 'the access key id', secret: 'the secret key' },
  'solapi-sms': { id: 'the API key', secret: 'the API secret' },
  'solapi-alimtalk': { id: 'the API key', secret: 'the API secret' },
  'solapi-vms': { id: 'the API key', secret: 'the API secret' },
};

function textVendorViolations(id: string, settings: VendorSettings, simulated: VendorCatalogue): string[] {
  if (!isTextVendorKind(kindOf(settings))) return [];
  const text = settings as TextVendorSettings;
  const at = `vendors.${id}`;
  const names = TEXT_ACCOUNT_NAMES[text.kind];
  if (text.endpoint === SIMULATOR_ENDPOINT) {
    return [
      ...(text.accountId ? [`${at}.accountId: ${GENERATED('account')}`] : []),
      ...(text.credentials ? [`${at}.credentials: ${GENERATED('account')}`] : []),
      ...(text.serviceId ? [`${at}.serviceId: ${GENERATED('account and its service id')}`] : []),
      ...simulatorServesText(id, text.kind, simulated),
    ];
  }
  const violations: string[] = [];
  if (!text.accountId) violations.push(`${at}.accountId is required for a real endpoint: ${names.id}`);
  if (!text.credentials) {
    violations.push(
      `${at}.credentials is required for a real endpoint: name the file or environment variable holding ` +
        `${names.secret} ({"env": "HERALD_${text.kind.toUpperCase().replace('-', '_')}_SECRET"})`,
    );
  } else {
    violations.push(...referenceViolations(`${at}.credentials`, text.credentials));
  }
  if ((text.kind === 'sens-sms' || text.kind === 'sens-alimtalk') && !text.serviceId) {
    violations.push(`${at}.serviceId is required for a real SENS endpoint: the project's service id`);
  }
  return violations;
}

/** The simulator speaks a text vendor's contract under the vendor id named after it (SIMULATOR_TEXT_VENDORS). */
function simulatorServesText(id: string, kind: TextVendorKind, simulated: VendorCatalogue): string[] {
  if (simulated.size === 0) {
    return [
      `vendors.${id}.endpoint is "simulator", but no simulator runs in this deployment (HERALD_SIMULATORS=off)`,
    ];
  }
  if (simulated.has(id) && SIMULATOR_TEXT_VENDORS[id] === kind) return [];
  return [
    `vendors.${id}.endpoint is "simulator", but the simulator serves ${kind} only as vendor "${kind}": ` +
      'use that id, or a real endpoint',
  ];
}

function referenceViolations(at: string, reference: SecretReference): string[] {
  const named = [reference.file, reference.env].filter((value) => value !== undefined).length;
  return named === 1 ? [] : [`${at} must name exactly one of file or env`];
}

/** The simulator answers a vendor id with the contract fixed for it (SIMULATOR_PUSH_PROVIDERS). */
function simulatorServes(id: string, provider: 'fcm' | 'apns', simulated: VendorCatalogue): string[] {
  if (simulated.size === 0) {
    return [
      `vendors.${id}.endpoint is "simulator", but no simulator runs in this deployment (HERALD_SIMULATORS=off)`,
    ];
  }
  if (simulated.has(id) && SIMULATOR_PUSH_PROVIDERS[id] === provider) return [];
  const ids = Object.keys(SIMULATOR_PUSH_PROVIDERS).filter((v) => SIMULATOR_PUSH_PROVIDERS[v] === provider);
  return [
    `vendors.${id}.endpoint is "simulator", but the simulator serves ${provider.toUpperCase()} only as ` +
      `${ids.join(', ')}: use one of those ids, or a real endpoint`,
  ];
}

/** The simulator's SMTP server is vendor `smtp` (src/simulators/smtp). */
export const SIMULATOR_SMTP_VENDOR = 'smtp';

/**
 * An smtp vendor: at the simulator (its SMTP port and generated account, nothing else to give),
 * or a real relay at `host` with AUTH as `user` and the password `credentials` names (both or
 * neither: a relay that trusts herald's address takes no AUTH).
 */
function smtpViolations(id: string, settings: VendorSettings, simulated: VendorCatalogue): string[] {
  if (settings.kind !== 'smtp') return [];
  const at = `vendors.${id}`;
  const dkim = dkimViolations(at, settings);
  if (settings.endpoint === SIMULATOR_ENDPOINT) {
    const generated = (['host', 'port', 'user', 'credentials', 'tlsCa'] as const)
      .filter((field) => settings[field] !== undefined)
      .map((field) => `${at}.${field}: ${GENERATED('SMTP port and account')}`);
    if (simulated.size === 0) {
      generated.push(
        `${at}.endpoint is "simulator", but no simulator runs in this deployment (HERALD_SIMULATORS=off)`,
      );
    } else if (id !== SIMULATOR_SMTP_VENDOR || !simulated.has(id)) {
      generated.push(
        `${at}.endpoint is "simulator", but the simulator serves SMTP only as vendor "${SIMULATOR_SMTP_VENDOR}": ` +
          'use that id, or a real relay (host)',
      );
    }
    return [...generated, ...dkim];
  }
  const violations: string[] = [...dkim];
  if (settings.endpoint !== undefined) {
    violations.push(`${at}.endpoint of kind smtp is "simulator" or absent (a real relay is given by host)`);
  }
  if (settings.host === undefined) violations.push(`${at}.host is required for a real SMTP relay`);
  if ((settings.user === undefined) !== (settings.credentials === undefined)) {
    violations.push(`${at}.user and ${at}.credentials (the AUTH password) go together: give both or neither`);
  }
  if (settings.credentials)
    violations.push(...referenceViolations(`${at}.credentials`, settings.credentials));
  if (settings.tlsCa) violations.push(...referenceViolations(`${at}.tlsCa`, settings.tlsCa));
  return violations;
}

/** DKIM on any smtp vendor (the simulator's too): the key by reference, exactly one of file or env. */
function dkimViolations(at: string, settings: SmtpVendorSettings): string[] {
  if (settings.dkim === undefined) return [];
  const violations = referenceViolations(`${at}.dkim.privateKey`, settings.dkim.privateKey);
  if (!settings.dkim.domainName.includes('.')) {
    violations.push(`${at}.dkim.domainName must be a domain with a dot (e.g. example.com)`);
  }
  return violations;
}

/** The simulator serves SES v2 as vendor `ses` (src/simulators/ses). */
export const SIMULATOR_SES_VENDOR = 'ses';

/**
 * An ses vendor: at the simulator (its generated access key and region, nothing else to give), or
 * SES at `region` (its regional endpoint unless `endpoint` names another https origin) with the
 * access key id `accountId` and the secret access key `credentials` names.
 */
function sesViolations(id: string, settings: VendorSettings, simulated: VendorCatalogue): string[] {
  if (settings.kind !== 'ses') return [];
  const at = `vendors.${id}`;
  if (settings.endpoint === SIMULATOR_ENDPOINT) {
    const generated = (['region', 'accountId', 'credentials'] as const)
      .filter((field) => settings[field] !== undefined)
      .map((field) => `${at}.${field}: ${GENERATED('SES access key and region')}`);
    if (simulated.size === 0) {
      generated.push(
        `${at}.endpoint is "simulator", but no simulator runs in this deployment (HERALD_SIMULATORS=off)`,
      );
    } else if (id !== SIMULATOR_SES_VENDOR || !simulated.has(id)) {
      generated.push(
        `${at}.endpoint is "simulator", but the simulator serves SES only as vendor "${SIMULATOR_SES_VENDOR}": ` +
          'use that id, or a real region',
      );
    }
    return generated;
  }
  const violations: string[] = [];
  if (settings.region === undefined)
    violations.push(`${at}.region is required for SES (e.g. ap-northeast-2)`);
  if (settings.accountId === undefined)
    violations.push(`${at}.accountId is required for SES: the IAM access key id`);
  if (settings.credentials === undefined) {
    violations.push(
      `${at}.credentials is required for SES: name the file or environment variable holding the secret access key`,
    );
  } else violations.push(...referenceViolations(`${at}.credentials`, settings.credentials));
  return violations;
}
