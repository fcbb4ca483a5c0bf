import { createNhnAlimtalkVendor } from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { alimtalkMessage, startNhnSimulator, VENDOR_ID } from './nhn-alimtalk-test-kit.ts';

describeVendorContract(
  'nhn-alimtalk',
  { renewsCredentials: false, deviceTokens: false, sharedSecret: true, bulk: 'per-message' },
  async () => {
    const { sim, trust, senderKey, baseUrl } = await startNhnSimulator();
    const build = (secretKey: string) =>
      createNhnAlimtalkVendor({ id: VENDOR_ID, appKey: trust.accountId, secretKey, baseUrl });
    const vendor = build(trust.secret);
    return {
      vendor,
      sim,
      vendorId: VENDOR_ID,
      message: () => alimtalkMessage(senderKey),
      errors: {
        permanent: { status: 400, code: '-4019', weight: 1 },
        unavailable: { status: 500, code: '-9999', weight: 1 },
      },
      withWrongSecret: () => build(`${trust.secret}x`),
      connections: { drop: () => sim.dropHttp1Connections(), opened: () => sim.http1ConnectionsOpened() },
      cleanup: async () => {
        await vendor.close();
        await sim.close();
      },
    };
  },
);
