import type { TextVendorKind } from '../../core/domain/remote-config.ts';
import { SOLAPI_CONTRACT } from '../solapi/solapi-contract.ts';
import type { TextWireContract } from './text-contract.ts';

/**
 * The text vendors' contracts by kind. A simulated vendor whose kind has no contract here answers
 * 404, as a host that does not serve the path.
 */
export const TEXT_WIRE_CONTRACTS: Partial<Record<TextVendorKind, TextWireContract>> = {
  'solapi-sms': SOLAPI_CONTRACT,
  'solapi-alimtalk': SOLAPI_CONTRACT,
};
