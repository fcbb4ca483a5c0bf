import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextVendorKind } from '../../core/domain/remote-config.ts';
import { ensureCredentialsDirectory, writeFileOnce } from '../push-credentials/write-once.ts';
import { SIMULATOR_TEXT_VENDORS, type TextTrust, type TextVendorTrust } from './text-trust.ts';

/** The generated account of one simulated text vendor, and the file it lives in. */
export interface TextSimulatorCredentials extends TextVendorTrust {
  readonly file: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomText(length: number, alphabet = ALNUM): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/**
 * An account shaped like the vendor's own: NHN a 16-character appKey and an 8-character secret key
 * (console: URL & Appkey, Secret Key); SENS a 20-character access key id, a 40-character secret key
 * and a service id per project; SOLAPI an `NCS` API key of 16 and a 32-character API secret.
 */
function generateAccount(kind: TextVendorKind): Omit<TextVendorTrust, 'kind'> {
  switch (kind) {
    case 'nhn-sms':
    case 'nhn-alimtalk':
      return { accountId: randomText(16), secret: randomText(8) };
    case 'sens-sms':
      return {
        accountId: randomText(20, UPPER_ALNUM),
        secret: randomText(40),
        serviceId: `ncp:sms:kr:${randomText(12, '0123456789')}:herald`,
      };
    case 'sens-alimtalk':
      return {
        accountId: randomText(20, UPPER_ALNUM),
        secret: randomText(40),
        serviceId: `ncp:kkobizmsg:kr:${randomText(7, '0123456789')}:herald`,
      };
    case 'solapi-sms':
    case 'solapi-alimtalk':
    case 'solapi-vms':
      return { accountId: `NCS${randomText(13, UPPER_ALNUM)}`, secret: randomText(32, UPPER_ALNUM) };
  }
}

/**
 * The simulated text vendors' accounts in `dir` (`<vendorId>.json`, 0600), generated once and never
 * rewritten, like the push credentials beside them: herald and `herald sim` pointed at the same
 * directory agree on them.
 */
export function ensureTextCredentials(dir: string): Readonly<Record<string, TextSimulatorCredentials>> {
  ensureCredentialsDirectory(dir);
  const entries = Object.entries(SIMULATOR_TEXT_VENDORS).map(([vendorId, kind]) => {
    const file = join(dir, `${vendorId}.json`);
    if (!existsSync(file)) {
      writeFileOnce(file, `${JSON.stringify({ kind, ...generateAccount(kind) }, null, 2)}\n`);
    }
    const stored = JSON.parse(readFileSync(file, 'utf8')) as TextVendorTrust;
    return [vendorId, { ...stored, kind, file }] as const;
  });
  return Object.fromEntries(entries);
}

/** What the simulator checks the text vendors' calls against. */
export function simulatorTextTrust(credentials: Readonly<Record<string, TextVendorTrust>>): TextTrust {
  return Object.fromEntries(
    Object.entries(credentials).map(([id, { kind, accountId, secret, serviceId }]) => [
      id,
      { kind, accountId, secret, ...(serviceId ? { serviceId } : {}) },
    ]),
  );
}
