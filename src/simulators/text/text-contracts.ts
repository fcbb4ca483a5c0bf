import type { TextVendorKind } from '../../core/domain/remote-config.ts';
import { NHN_ALIMTALK_CONTRACT } from '../nhn-alimtalk/nhn-alimtalk-contract.ts';
import { NHN_SMS_WIRE_CONTRACT } from '../nhn-sms/nhn-sms-wire-contract.ts';
import { SENS_ALIMTALK_CONTRACT } from '../sens/sens-alimtalk-contract.ts';
import { SENS_SMS_CONTRACT } from '../sens/sens-sms-contract.ts';
import { SOLAPI_CONTRACT } from '../solapi/solapi-contract.ts';
import type { TextWireContract } from './text-contract.ts';

/**
 * The text vendors' contracts by kind. A simulated vendor whose kind has no contract here answers
 * 404, as a host that does not serve the path.
 */
export const TEXT_WIRE_CONTRACTS: Partial<Record<TextVendorKind, TextWireContract>> = {
  'sens-sms': SENS_SMS_CONTRACT,
  'sens-alimtalk': SENS_ALIMTALK_CONTRACT,
  'solapi-sms': SOLAPI_CONTRACT,
  'solapi-alimtalk': SOLAPI_CONTRACT,
  'solapi-vms': SOLAPI_CONTRACT,
  'nhn-sms': NHN_SMS_WIRE_CONTRACT,
  'nhn-alimtalk': NHN_ALIMTALK_CONTRACT,
};
