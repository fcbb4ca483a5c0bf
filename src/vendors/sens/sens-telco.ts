import type { Carrier } from '../../core/domain/carrier.ts';

/**
 * SENS' network of a message (`telcoCode` in the result look-up, sens-sms-get) in herald's words:
 * SKT, KT and LG U+ (SENS writes it LGT; LGU and LG U+ are read too). SENS names no MVNO: an MVNO
 * subscriber's message is reported under the network it rides on. Anything else is `unknown`.
 */
const BY_CODE: Readonly<Record<string, Carrier>> = {
  SKT: 'SKT',
  KT: 'KT',
  LGT: 'LGU+',
  LGU: 'LGU+',
  'LGU+': 'LGU+',
};

export function sensCarrierOf(telcoCode: unknown): Carrier {
  if (typeof telcoCode !== 'string') return 'unknown';
  return BY_CODE[telcoCode.replaceAll(' ', '').toUpperCase()] ?? 'unknown';
}
