import { randomBytes } from 'node:crypto';
import {
  SES_SIMULATOR_REGION,
  SES_SIMULATOR_VENDOR,
  type SesTrust,
} from '../../../src/simulators/ses/ses-credentials.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createSesVendor, type SesVendorOptions } from '../../../src/vendors/ses/ses-vendor.ts';

export { emailMessage } from '../smtp/smtp-test-kit.ts';

export const SES_VENDOR_ID = SES_SIMULATOR_VENDOR;

/** A fresh access key, shaped as ensureSesCredentials generates one. */
export function sesKey(): SesTrust {
  return {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    region: SES_SIMULATOR_REGION,
  };
}

/** The simulator hosting only the SES vendor, trusting `key`. */
export function startSesSimulator(key: SesTrust): Promise<SimulatorServer> {
  return startSimulatorServer({ vendors: { [SES_VENDOR_ID]: {} }, sesTrust: key });
}

/** The adapter pointed at the simulator's SES API (`<url>/ses`), signing with `key`. */
export function sesVendorAt(
  sim: SimulatorServer,
  key: SesTrust,
  options: Partial<SesVendorOptions> = {},
): ReturnType<typeof createSesVendor> {
  return createSesVendor({
    id: SES_VENDOR_ID,
    endpoint: `${sim.url}/${SES_VENDOR_ID}`,
    region: key.region,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    from: 'herald <no-reply@herald.test>',
    ...options,
  });
}
