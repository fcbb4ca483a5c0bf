import { textAccountOf, textBaseUrlOf, type VendorFactory } from '../../app/vendor-factories.ts';
import { createNhnAlimtalkVendor } from './nhn-alimtalk-vendor.ts';

/**
 * Builds `nhn-alimtalk` vendors: the appkey (`accountId`) and secret key (`credentials`) of the
 * definition, or the simulator's generated account; NHN's origin or `<simulator>/<vendorId>`.
 */
export const nhnAlimtalkFactory: VendorFactory = ({ id, settings }, deployment) => {
  if (settings.kind !== 'nhn-alimtalk') throw new Error(`vendor ${id} is not of kind nhn-alimtalk`);
  const { accountId, secret } = textAccountOf(id, settings, deployment);
  const baseUrl = textBaseUrlOf(id, settings, deployment);
  return () => createNhnAlimtalkVendor({ id, appKey: accountId, secretKey: secret, baseUrl });
};
