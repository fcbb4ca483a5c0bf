import type { EnvConfig } from '../config/env-config.ts';
import { ensureSnsSigningCredentials } from '../simulators/ses/sns-signing-credentials.ts';

/**
 * The SNS certificates herald trusts without fetching them, by SigningCertURL: while it runs
 * against the simulators (in-process or `herald sim` sharing the credentials directory), the
 * simulated SNS' certificate at its `.invalid` URL; in production (simulators off), none, and every
 * certificate is fetched from the allowed SNS hosts.
 */
export function pinnedSnsCertificates(
  env: Pick<EnvConfig, 'simulators' | 'simulatorCredentialsDir'>,
): ReadonlyMap<string, string> {
  if (env.simulators === 'off') return new Map();
  const { certificateUrl, certificatePem } = ensureSnsSigningCredentials(env.simulatorCredentialsDir);
  return new Map([[certificateUrl, certificatePem]]);
}
