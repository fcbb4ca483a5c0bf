import type { TextVendorKind } from '../../core/domain/remote-config.ts';
import { NHN_ALIMTALK_ERRORS } from '../nhn-alimtalk/nhn-alimtalk-answers.ts';
import { NHN_SMS_ERRORS } from '../nhn-sms/nhn-sms-answers.ts';
import { SENS_ALIMTALK_ERRORS, SENS_SMS_ERRORS } from '../sens/sens-errors.ts';
import { SOLAPI_ALIMTALK_ERRORS, SOLAPI_SMS_ERRORS, SOLAPI_VMS_ERRORS } from '../solapi/solapi-errors.ts';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import { SIMULATOR_TEXT_VENDORS } from './text-trust.ts';

/**
 * The errors each text vendor's simulator picks from when its behaviour fails a call, in that
 * vendor's own codes (NHN result codes, SENS HTTP errors, SOLAPI status codes). `status` says how
 * the contract renders one: 5xx fails the whole call as the vendor's outage, 4xx is that
 * recipient's refusal in the vendor's per-recipient result. Each vendor's contract module fills
 * its entry.
 */
export const TEXT_ERROR_CATALOGUES: Partial<Record<TextVendorKind, readonly SimulatedError[]>> = {
  'sens-sms': SENS_SMS_ERRORS,
  'sens-alimtalk': SENS_ALIMTALK_ERRORS,
  'solapi-sms': SOLAPI_SMS_ERRORS,
  'solapi-alimtalk': SOLAPI_ALIMTALK_ERRORS,
  'solapi-vms': SOLAPI_VMS_ERRORS,
  'nhn-sms': NHN_SMS_ERRORS,
  'nhn-alimtalk': NHN_ALIMTALK_ERRORS,
};

/** The catalogue of a text vendor id (its default id's kind), or undefined for any other vendor. */
export function textErrorsOf(vendorId: string): readonly SimulatedError[] | undefined {
  const kind = SIMULATOR_TEXT_VENDORS[vendorId];
  return kind === undefined ? undefined : TEXT_ERROR_CATALOGUES[kind];
}
