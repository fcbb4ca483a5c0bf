import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';

export const OLDER_POLICY = { timeoutMs: 4_000, breakerThreshold: 7, breakerHalfOpenAfterMs: 10_000 };

/** The text vendors before issue 10: the generic simulators, in the order of their weights. */
const OLD_TEXT_VENDORS: Readonly<Record<string, string>> = {
  'nhn-sms': 'sim-sms-a',
  'sens-sms': 'sim-sms-b',
  'solapi-sms': 'sim-sms-c',
  'nhn-alimtalk': 'sim-kakao-a',
  'sens-alimtalk': 'sim-kakao-b',
  'solapi-alimtalk': 'sim-kakao-c',
  // Before issue 11: VMS to the generic simulator.
  'solapi-vms': 'sim-vms',
};

/** The default config as herald stored it before issue 11: e-mail to the generic sim-email alone. */
export function documentBeforeSmtp() {
  // biome-ignore lint/suspicious/noExplicitAny: an older document, not of today's type
  const document: any = JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
  delete document.vendors.smtp;
  delete document.vendors.ses;
  document.routing.email = [{ vendor: 'sim-email', weight: 100 }];
  return document;
}

/**
 * The default config as herald stored it before issue 10: SMS and AlimTalk to the generic
 * simulators sim-sms-a/b/c and sim-kakao-a/b/c, with the text vendors' time limits.
 */
export function documentBeforeTextVendors() {
  const document = documentBeforeSmtp();
  for (const [id, old] of Object.entries(OLD_TEXT_VENDORS)) {
    const { kind: _kind, endpoint: _endpoint, ...policy } = document.vendors[id];
    delete document.vendors[id];
    document.vendors[old] = { kind: 'simulator', ...policy };
  }
  for (const routes of Object.values(document.routing) as { vendor: string }[][]) {
    for (const route of routes) route.vendor = OLD_TEXT_VENDORS[route.vendor] ?? route.vendor;
  }
  return document;
}

/** The default config as herald stored it before issue 9: push to sim-fcm and sim-apns, no kinds. */
export function documentBeforeKinds() {
  const document = documentBeforeTextVendors();
  for (const id of ['fcm', 'fcm-b', 'apns', 'apns-b']) delete document.vendors[id];
  for (const settings of Object.values(document.vendors)) delete (settings as { kind?: string }).kind;
  document.vendors['sim-fcm'] = OLDER_POLICY;
  document.vendors['sim-apns'] = { ...OLDER_POLICY, timeoutMs: 3_000 };
  document.routing.push = [
    { vendor: 'sim-fcm', weight: 70 },
    { vendor: 'sim-apns', weight: 30 },
  ];
  return document;
}
