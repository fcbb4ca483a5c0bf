import type { Vendor } from '../../../src/ports/vendor.ts';
import { createSolapiAlimtalkVendor } from '../../../src/vendors/solapi/solapi-alimtalk-vendor.ts';
import type { SolapiAccount } from '../../../src/vendors/solapi/solapi-api.ts';
import {
  createSolapiSmsVendor,
  type SolapiVendorOptions,
} from '../../../src/vendors/solapi/solapi-sms-vendor.ts';
import { createSolapiVmsVendor } from '../../../src/vendors/solapi/solapi-vms-vendor.ts';
import { describeVendorContract, type VendorContractSubject } from '../../contracts/vendor.contract.ts';
import {
  alimtalkMessage,
  registerTemplate,
  smsMessage,
  solapiAccount,
  solapiSimulator,
  vmsMessage,
} from './solapi-test-kit.ts';

const FEATURES = { renewsCredentials: false, deviceTokens: false, sharedSecret: true };
const MESSAGES = {
  'solapi-sms': () => smsMessage(),
  'solapi-alimtalk': () => alimtalkMessage(),
  'solapi-vms': () => vmsMessage(),
};

async function subjectFor(
  vendorId: 'solapi-sms' | 'solapi-alimtalk' | 'solapi-vms',
  create: (options: SolapiVendorOptions) => Vendor,
  permanentCode: string,
): Promise<VendorContractSubject> {
  const account = solapiAccount();
  const sim = await solapiSimulator(account);
  registerTemplate(sim);
  const build = (withAccount: SolapiAccount) =>
    create({ id: vendorId, account: withAccount, baseUrl: `${sim.url}/${vendorId}` });
  const vendor = build(account);
  return {
    vendor,
    sim,
    vendorId,
    message: () => MESSAGES[vendorId](),
    errors: {
      permanent: { status: 400, code: permanentCode, weight: 1 },
      unavailable: { status: 503, code: 'ServiceUnavailable', weight: 1 },
    },
    withWrongSecret: () => build({ apiKey: account.apiKey, apiSecret: solapiAccount().apiSecret }),
    connections: { drop: () => sim.dropHttp1Connections(), opened: () => sim.http1ConnectionsOpened() },
    cleanup: async () => {
      await vendor.close();
      await sim.close();
    },
  };
}

describeVendorContract('solapi-sms', { ...FEATURES, bulk: 'per-message' }, () =>
  subjectFor('solapi-sms', createSolapiSmsVendor, '1060'),
);
describeVendorContract('solapi-alimtalk', { ...FEATURES, bulk: 'per-message' }, () =>
  subjectFor('solapi-alimtalk', createSolapiAlimtalkVendor, '1043'),
);
describeVendorContract('solapi-vms', { ...FEATURES, bulk: 'per-message' }, () =>
  subjectFor('solapi-vms', createSolapiVmsVendor, '1060'),
);
