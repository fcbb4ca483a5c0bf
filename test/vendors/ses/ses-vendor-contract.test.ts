import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { emailMessage, SES_VENDOR_ID, sesKey, sesVendorAt, startSesSimulator } from './ses-test-kit.ts';

describeVendorContract(
  'ses',
  { renewsCredentials: false, deviceTokens: false, sharedSecret: true },
  async () => {
    const key = sesKey();
    const sim = await startSesSimulator(key);
    const vendor = sesVendorAt(sim, key);
    return {
      vendor,
      sim,
      vendorId: SES_VENDOR_ID,
      message: () => emailMessage(),
      errors: {
        permanent: { status: 400, code: 'MessageRejected', weight: 1 },
        unavailable: { status: 503, code: 'ServiceUnavailable', weight: 1 },
      },
      withWrongSecret: () => sesVendorAt(sim, { ...key, secretAccessKey: `${key.secretAccessKey}x` }),
      connections: { drop: () => sim.dropHttp1Connections(), opened: () => sim.http1ConnectionsOpened() },
      cleanup: async () => {
        await vendor.close();
        await sim.close();
      },
    };
  },
);
