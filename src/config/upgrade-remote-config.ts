import { CHANNELS } from '../core/domain/channel.ts';
import { SIMULATOR_ENDPOINT } from '../core/domain/remote-config.ts';

/**
 * Brings a remote config stored by an older herald up to this one's vendor definitions, when a
 * process loads it at start (LiveConfig, which stores the result once as a new version and logs
 * what changed). Before issue 9 push went to the simulator vendors `sim-fcm` and `sim-apns` through
 * the generic contract; they are now `fcm` and `apns`, the real FCM and APNs adapters pointed at
 * the simulator. Before issue 10 SMS and AlimTalk went to `sim-sms-a/b/c` and `sim-kakao-a/b/c`;
 * they are now the real NHN, SENS and SOLAPI adapters pointed at the simulator. Before issue 11 VMS
 * went to `sim-vms`; it is now `solapi-vms`, SOLAPI's voice message at the simulator. Issue 11 also
 * added the `smtp` vendor beside `sim-email`, which stays: a stored document keeps e-mail where its
 * operator routed it, and adding smtp is a config change (docs/vendors/smtp.md). Likewise the `ses`
 * vendor that then took sim-email's place in the default (smtp 80 / ses 20): a stored document
 * keeps its e-mail routing, sim-email included (docs/vendors/ses.md). Returns undefined
 * when nothing needs changing (or the document is not even of the right shape: the rules then say
 * what is wrong with it).
 */
export function upgradeRemoteConfig(document: unknown): { document: unknown; changes: string[] } | undefined {
  if (!isObject(document) || !isObject(document.routing) || !isObject(document.vendors)) return undefined;
  const upgraded = structuredClone(document) as {
    routing: Record<string, unknown>;
    vendors: Record<string, unknown>;
  };
  const changes = [
    ...renameRoutes(upgraded.routing),
    ...renameVendors(upgraded.vendors),
    ...addKinds(upgraded.vendors),
  ];
  return changes.length > 0 ? { document: upgraded, changes } : undefined;
}

/**
 * Old simulator vendor -> the vendor that now stands for it: push since issue 9, the Korean text
 * vendors since issue 10 (the three generic SMS and Kakao simulators became NHN Cloud, NAVER Cloud
 * SENS and SOLAPI, in the order of their weights), VMS since issue 11 (SOLAPI's voice message).
 */
const RENAMED: Readonly<Record<string, string>> = {
  'sim-fcm': 'fcm',
  'sim-apns': 'apns',
  'sim-sms-a': 'nhn-sms',
  'sim-sms-b': 'sens-sms',
  'sim-sms-c': 'solapi-sms',
  'sim-kakao-a': 'nhn-alimtalk',
  'sim-kakao-b': 'sens-alimtalk',
  'sim-kakao-c': 'solapi-alimtalk',
  'sim-vms': 'solapi-vms',
};

/** What the renamed vendors of the default config are: the real adapters at the simulator. */
const PUSH_DEFINITIONS: Readonly<Record<string, Record<string, string>>> = {
  fcm: { kind: 'fcm', endpoint: SIMULATOR_ENDPOINT },
  'fcm-b': { kind: 'fcm', endpoint: SIMULATOR_ENDPOINT },
  apns: { kind: 'apns', endpoint: SIMULATOR_ENDPOINT, environment: 'sandbox' },
  'apns-b': { kind: 'apns', endpoint: SIMULATOR_ENDPOINT, environment: 'sandbox' },
};
const TEXT_DEFINITIONS: Readonly<Record<string, Record<string, string>>> = Object.fromEntries(
  ['nhn-sms', 'sens-sms', 'solapi-sms', 'nhn-alimtalk', 'sens-alimtalk', 'solapi-alimtalk', 'solapi-vms'].map(
    (kind) => [kind, { kind, endpoint: SIMULATOR_ENDPOINT }],
  ),
);
const DEFINITIONS = { ...PUSH_DEFINITIONS, ...TEXT_DEFINITIONS };

function renameRoutes(routing: Record<string, unknown>): string[] {
  const changes: string[] = [];
  for (const channel of CHANNELS) {
    const routes = routing[channel];
    if (!Array.isArray(routes)) continue;
    const renamed: unknown[] = [];
    for (const route of routes) {
      const to = isObject(route) && typeof route.vendor === 'string' ? RENAMED[route.vendor] : undefined;
      if (to === undefined) {
        renamed.push(route);
      } else if (routes.some((other) => isObject(other) && other.vendor === to)) {
        changes.push(
          `routing.${channel}: ${String((route as { vendor: string }).vendor)} dropped (${to} is routed already)`,
        );
      } else {
        renamed.push({ ...(route as object), vendor: to });
        changes.push(`routing.${channel}: ${String((route as { vendor: string }).vendor)} is now ${to}`);
      }
    }
    routing[channel] = renamed;
  }
  return changes;
}

function renameVendors(vendors: Record<string, unknown>): string[] {
  const changes: string[] = [];
  for (const [from, to] of Object.entries(RENAMED)) {
    const old = vendors[from];
    if (old === undefined) continue;
    delete vendors[from];
    if (vendors[to] === undefined && isObject(old)) {
      vendors[to] = { ...old, ...DEFINITIONS[to] };
      changes.push(`vendors.${from} is now vendors.${to} (kind ${to}, endpoint simulator)`);
    } else {
      changes.push(`vendors.${from} dropped (vendors.${to} is defined already)`);
    }
  }
  return changes;
}

/** A push vendor id stored without a kind (a document of the build just before kinds). */
function addKinds(vendors: Record<string, unknown>): string[] {
  const changes: string[] = [];
  for (const [id, definition] of Object.entries(PUSH_DEFINITIONS)) {
    const settings = vendors[id];
    if (!isObject(settings) || settings.kind !== undefined) continue;
    vendors[id] = { ...settings, ...definition };
    changes.push(`vendors.${id} gets kind ${definition.kind}, endpoint simulator`);
  }
  return changes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
