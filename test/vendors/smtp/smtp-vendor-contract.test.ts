import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import {
  emailMessage,
  SMTP_VENDOR_ID,
  smtpAccount,
  smtpVendorAt,
  startSmtpSimulator,
} from './smtp-test-kit.ts';

describeVendorContract(
  'smtp',
  { renewsCredentials: false, deviceTokens: false, sharedSecret: true },
  async () => {
    const account = smtpAccount();
    const sim = await startSmtpSimulator(account);
    const vendor = smtpVendorAt(sim, account);
    const smtp = sim.smtp!;
    return {
      vendor,
      sim,
      vendorId: SMTP_VENDOR_ID,
      message: () => emailMessage(),
      errors: {
        permanent: { status: 400, code: '550 5.1.1', weight: 1 },
        unavailable: { status: 503, code: '421 4.3.2', weight: 1 },
      },
      withWrongSecret: () => smtpVendorAt(sim, { ...account, password: `${account.password}x` }),
      connections: { drop: () => smtp.dropConnections(), opened: () => smtp.connectionsOpened() },
      cleanup: async () => {
        await vendor.close();
        await sim.close();
      },
    };
  },
);
