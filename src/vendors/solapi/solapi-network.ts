import type { Carrier } from '../../core/domain/carrier.ts';

/**
 * The network SOLAPI names in a stored message (`networkName`, `networkCode`; solapi-nodejs
 * storedMessage.ts) in herald's words. SOLAPI documents neither field's values: the name is read
 * for the three networks (SKT/SK, KT, LGU+/LGT/LG U+) and for an MVNO (MVNO, 알뜰폰), which counts
 * under its parent when the code names one (Korea's MCC-MNC: 45005 SKT, 45008 KT, 45006 LG U+),
 * else as MVNO; anything else is `unknown`.
 */
const BY_CODE: Readonly<Record<string, Carrier>> = {
  '45005': 'SKT',
  '45008': 'KT',
  '45006': 'LGU+',
};

export function solapiCarrierOf(networkName: unknown, networkCode: unknown): Carrier | undefined {
  const name = typeof networkName === 'string' ? networkName.replaceAll(' ', '').toUpperCase() : '';
  const code = typeof networkCode === 'string' || typeof networkCode === 'number' ? String(networkCode) : '';
  if (name === '' && code === '') return undefined;
  if (name === 'MVNO' || name.includes('알뜰')) return BY_CODE[code] ?? 'MVNO';
  if (name === 'SKT' || name === 'SK' || name.startsWith('SKTELECOM')) return 'SKT';
  if (name === 'KT' || name.startsWith('KTF')) return 'KT';
  if (name.startsWith('LG')) return 'LGU+';
  return BY_CODE[code] ?? 'unknown';
}
