import { createNhnSmsVendor } from '../../../src/vendors/nhn-sms/nhn-sms-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { NHN_VENDOR_ID, nhnAccount, startNhnSimulator, textMessage } from './nhn-sms-test-kit.ts';

describeVendorContract(
  'nhn-sms',
  { renewsCredentials: false, deviceTokens: false, sharedSecret: true, bulk: 'per-message' },
  async () => {
    const account = nhnAccount();
    const sim = await startNhnSimulator(account);
    const build = (secretKey: string) =>
      createNhnSmsVendor({
        id: NHN_VENDOR_ID,
        baseUrl: `${sim.url}/${NHN_VENDOR_ID}`,
        appKey: account.accountId,
        secretKey,
      });
    const vendor = build(account.secret);
    return {
      vendor,
      sim,
      vendorId: NHN_VENDOR_ID,
      message: () => textMessage(),
      errors: {
        permanent: { status: 400, code: '-2019', weight: 1 },
        unavailable: { status: 503, code: '-2021', weight: 1 },
      },
      withWrongSecret: () => build(`${account.secret}x`),
      connections: { drop: () => sim.dropHttp1Connections(), opened: () => sim.http1ConnectionsOpened() },
      cleanup: async () => {
        await vendor.close();
        await sim.close();
      },
    };
  },
);
