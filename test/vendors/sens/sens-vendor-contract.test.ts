import { createSensAlimtalkVendor } from '../../../src/vendors/sens/sens-alimtalk-vendor.ts';
import { createSensSmsVendor } from '../../../src/vendors/sens/sens-sms-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { ALIMTALK_ACCOUNT, alimtalkMessage, SMS_ACCOUNT, smsMessage, startSensSim } from './sens-test-kit.ts';

const FEATURES = { renewsCredentials: false, deviceTokens: false, sharedSecret: true } as const;

describeVendorContract('sens-sms', FEATURES, async () => {
  const sens = await startSensSim();
  const make = (secretKey: string) =>
    createSensSmsVendor({
      id: 'sens-sms',
      baseUrl: sens.baseUrl('sens-sms'),
      account: { ...SMS_ACCOUNT, secretKey },
    });
  const vendor = make(SMS_ACCOUNT.secretKey);
  return {
    vendor,
    sim: sens.sim,
    vendorId: 'sens-sms',
    message: () => smsMessage(),
    errors: {
      permanent: { status: 400, code: '400', weight: 1 },
      unavailable: { status: 503, code: '503', weight: 1 },
    },
    withWrongSecret: () => make('not-the-secret-key'),
    connections: { drop: () => sens.sim.dropHttp1Connections(), opened: () => sens.proxy.opened() },
    cleanup: async () => {
      await vendor.close();
      await sens.close();
    },
  };
});

describeVendorContract('sens-alimtalk', FEATURES, async () => {
  const sens = await startSensSim();
  const make = (secretKey: string) =>
    createSensAlimtalkVendor({
      id: 'sens-alimtalk',
      baseUrl: sens.baseUrl('sens-alimtalk'),
      account: { ...ALIMTALK_ACCOUNT, secretKey },
    });
  const vendor = make(ALIMTALK_ACCOUNT.secretKey);
  return {
    vendor,
    sim: sens.sim,
    vendorId: 'sens-alimtalk',
    message: () => alimtalkMessage(),
    errors: {
      permanent: { status: 400, code: '3016', weight: 1 },
      unavailable: { status: 503, code: '503', weight: 1 },
    },
    withWrongSecret: () => make('not-the-secret-key'),
    connections: { drop: () => sens.sim.dropHttp1Connections(), opened: () => sens.proxy.opened() },
    cleanup: async () => {
      await vendor.close();
      await sens.close();
    },
  };
});
