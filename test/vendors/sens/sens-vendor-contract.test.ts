import { createSensAlimtalkVendor } from '../../../src/vendors/sens/sens-alimtalk-vendor.ts';
import { createSensSmsVendor } from '../../../src/vendors/sens/sens-sms-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { ALIMTALK_ACCOUNT, alimtalkMessage, SMS_ACCOUNT, smsMessage, startSensSim } from './sens-test-kit.ts';

const FEATURES = { renewsCredentials: false, deviceTokens: false, sharedSecret: true } as const;

/** Both SENS products: the same signing and gateway, another path and message shape each. */
const PRODUCTS = [
  {
    id: 'sens-sms',
    create: createSensSmsVendor,
    account: SMS_ACCOUNT,
    message: smsMessage,
    permanent: { status: 400, code: '400', weight: 1 },
    bulk: 'whole-call',
  },
  {
    id: 'sens-alimtalk',
    create: createSensAlimtalkVendor,
    account: ALIMTALK_ACCOUNT,
    message: alimtalkMessage,
    permanent: { status: 400, code: '3016', weight: 1 },
    bulk: 'whole-call',
  },
] as const;

for (const product of PRODUCTS) {
  describeVendorContract(product.id, { ...FEATURES, bulk: product.bulk }, async () => {
    const sens = await startSensSim();
    const make = (secretKey: string) =>
      product.create({
        id: product.id,
        baseUrl: sens.baseUrl(product.id),
        account: { ...product.account, secretKey },
      });
    const vendor = make(product.account.secretKey);
    return {
      vendor,
      sim: sens.sim,
      vendorId: product.id,
      message: () => product.message(),
      errors: { permanent: product.permanent, unavailable: { status: 503, code: '503', weight: 1 } },
      withWrongSecret: () => make('not-the-secret-key'),
      connections: {
        drop: () => sens.sim.dropHttp1Connections(),
        opened: () => sens.sim.http1ConnectionsOpened(),
      },
      cleanup: async () => {
        await vendor.close();
        await sens.close();
      },
    };
  });
}
