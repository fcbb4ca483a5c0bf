import type { TextVendorKind } from '../../core/domain/remote-config.ts';
import { NHN_ALIMTALK_CONTRACT } from '../nhn-alimtalk/nhn-alimtalk-contract.ts';
import { NHN_SMS_WIRE_CONTRACT } from '../nhn-sms/nhn-sms-wire-contract.ts';
import type { TextWireContract } from './text-contract.ts';

/**
 * The text vendors' contracts by kind. A simulated vendor whose kind has no contract here answers
 * 404, as a host that does not serve the path.
 */
export const TEXT_WIRE_CONTRACTS: Partial<Record<TextVendorKind, TextWireContract>> = {
  'nhn-alimtalk': NHN_ALIMTALK_CONTRACT,
  'nhn-sms': NHN_SMS_WIRE_CONTRACT,
};
