import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';

export const OLDER_POLICY = { timeoutMs: 4_000, breakerThreshold: 7, breakerHalfOpenAfterMs: 10_000 };

/** The default config as herald stored it before issue 9: push to sim-fcm and sim-apns, no kinds. */
export function documentBeforeKinds() {
  // biome-ignore lint/suspicious/noExplicitAny: an older document, not of today's type
  const document: any = JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
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
