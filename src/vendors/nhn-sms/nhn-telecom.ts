import type { Carrier } from '../../core/domain/carrier.ts';

/**
 * NHN Cloud SMS's network codes (`telecomCode`, with `telecomCodeName`, in the v3.0 result
 * look-ups; SMSDOC `api-guide.md` examples: 10001 "SKT", 10002 "KT", 10003 "LGU"). The list
 * answers it as a number, the result-update search as a string. NHN names no MVNO code: an MVNO
 * subscriber's message is reported under the network it rides on, which is where herald counts it.
 */
export const NHN_TELECOM_CODES: Readonly<Record<string, Exclude<Carrier, 'MVNO' | 'unknown'>>> = {
  '10001': 'SKT',
  '10002': 'KT',
  '10003': 'LGU+',
};

/** The same three by name, for an answer that carries only telecomCodeName. */
const BY_NAME: Readonly<Record<string, Carrier>> = {
  SKT: 'SKT',
  KT: 'KT',
  LGU: 'LGU+',
  'LGU+': 'LGU+',
  LGT: 'LGU+',
};

export function nhnCarrierOf(telecomCode: unknown, telecomCodeName: unknown): Carrier {
  const code = typeof telecomCode === 'number' || typeof telecomCode === 'string' ? String(telecomCode) : '';
  const byCode = NHN_TELECOM_CODES[code];
  if (byCode !== undefined) return byCode;
  const name = typeof telecomCodeName === 'string' ? telecomCodeName.trim().toUpperCase() : '';
  return BY_NAME[name] ?? 'unknown';
}
