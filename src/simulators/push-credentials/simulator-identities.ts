import { SIMULATOR_PUSH_PROVIDERS } from '../../config/default-remote-config.ts';

/**
 * Who the simulator's push vendors are: a Firebase project per FCM vendor and an Apple team per
 * APNs vendor, fixed so that logs and tests read the same everywhere. Only the keys are generated
 * (push-credentials.ts); an APNs key id is derived from its key, as Apple issues one per key.
 */
export const FCM_SIMULATOR_PROJECTS: Readonly<Record<string, string>> = {
  fcm: 'herald-sim',
  'fcm-b': 'herald-sim-b',
};

export const APNS_SIMULATOR_TEAMS: Readonly<Record<string, string>> = {
  apns: 'HERALDSIMA',
  'apns-b': 'HERALDSIMB',
};

/** apns-topic of a message whose device names no app: the bundle id of herald's example app. */
export const APNS_SIMULATOR_TOPIC = 'com.example.herald';

/** The simulator vendor ids speaking `provider`'s contract. */
export function simulatorPushVendors(provider: 'fcm' | 'apns'): string[] {
  return Object.keys(SIMULATOR_PUSH_PROVIDERS).filter((id) => SIMULATOR_PUSH_PROVIDERS[id] === provider);
}

/** The service account's e-mail, as Google names them: <name>@<project>.iam.gserviceaccount.com. */
export function serviceAccountEmail(projectId: string): string {
  return `herald@${projectId}.iam.gserviceaccount.com`;
}
