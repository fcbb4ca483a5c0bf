import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCredentialsDirectory, writeFileOnce } from '../push-credentials/write-once.ts';

/** The account the simulator's SMTP server takes AUTH from (src/simulators/smtp/smtp-simulator.ts). */
export interface SmtpTrust {
  readonly user: string;
  readonly password: string;
}

/** The generated SMTP account, and the file it lives in. */
export interface SmtpSimulatorCredentials extends SmtpTrust {
  readonly file: string;
}

/** The simulator's SMTP vendor id: the generated account is `<id>.json`. */
export const SMTP_SIMULATOR_VENDOR = 'smtp';

/**
 * The simulated relay's AUTH account in `dir` (`smtp.json`, 0600): a user `herald-<8 hex>` and a
 * 32-character password, generated once and never rewritten, like the text vendors' accounts beside
 * it, so herald and `herald sim` pointed at the same directory agree on it.
 */
export function ensureSmtpCredentials(dir: string): SmtpSimulatorCredentials {
  ensureCredentialsDirectory(dir);
  const file = join(dir, `${SMTP_SIMULATOR_VENDOR}.json`);
  if (!existsSync(file)) {
    const account: SmtpTrust = {
      user: `herald-${randomBytes(4).toString('hex')}`,
      password: randomBytes(24).toString('base64url'),
    };
    writeFileOnce(file, `${JSON.stringify(account, null, 2)}\n`);
  }
  const { user, password } = JSON.parse(readFileSync(file, 'utf8')) as SmtpTrust;
  return { user, password, file };
}
