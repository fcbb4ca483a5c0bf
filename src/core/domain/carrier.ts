/**
 * The mobile network a text message reached, as the vendors' receipts name it (NHN `telecomCode`,
 * SENS `telcoCode`, SOLAPI `networkName`/`networkCode`), in herald's words. An MVNO counts under
 * its parent network when the vendor says which one it rides on, else as `MVNO`; `unknown` when
 * the vendor names none (e-mail, push, a receipt without it). A closed set: it is a metrics label.
 */
export const CARRIERS = ['SKT', 'KT', 'LGU+', 'MVNO', 'unknown'] as const;
export type Carrier = (typeof CARRIERS)[number];

export function isCarrier(value: string): value is Carrier {
  return (CARRIERS as readonly string[]).includes(value);
}
