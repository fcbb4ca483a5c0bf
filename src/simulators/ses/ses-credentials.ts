import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCredentialsDirectory, writeFileOnce } from '../push-credentials/write-once.ts';

/** The IAM access key the simulator's SES endpoint (vendor `ses`) verifies SigV4 signatures with. */
export interface SesTrust {
  /** `AKIA` and 16 upper-case letters and digits, as IAM issues them. */
  readonly accessKeyId: string;
  /** 40 characters of base64, as IAM issues them. */
  readonly secretAccessKey: string;
  /** The region the signature's scope must name (the simulated endpoint's region). */
  readonly region: string;
}

export interface SesSimulatorCredentials extends SesTrust {
  readonly file: string;
}

/** The simulator's SES vendor id: the generated key is `<id>.json`, the API is served at `/<id>/v2/...`. */
export const SES_SIMULATOR_VENDOR = 'ses';

/** Seoul, where a Korean platform's SES account would live. */
export const SES_SIMULATOR_REGION = 'ap-northeast-2';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The simulated SES account's access key in `dir` (`ses.json`, 0600), generated once and never
 * rewritten, like the text vendors' and the SMTP account beside it, so herald and `herald sim`
 * pointed at the same directory agree on it.
 */
export function ensureSesCredentials(dir: string): SesSimulatorCredentials {
  ensureCredentialsDirectory(dir);
  const file = join(dir, `${SES_SIMULATOR_VENDOR}.json`);
  if (!existsSync(file)) {
    const key: SesTrust = {
      accessKeyId: `AKIA${Array.from({ length: 16 }, () => UPPER_ALNUM[randomInt(UPPER_ALNUM.length)]).join('')}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      region: SES_SIMULATOR_REGION,
    };
    writeFileOnce(file, `${JSON.stringify(key, null, 2)}\n`);
  }
  const { accessKeyId, secretAccessKey, region } = JSON.parse(readFileSync(file, 'utf8')) as SesTrust;
  return { accessKeyId, secretAccessKey, region, file };
}
