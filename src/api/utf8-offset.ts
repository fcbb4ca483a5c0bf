/**
 * Where a byte string stops being well-formed UTF-8 (Unicode 15, table 3-7), so a client that sent
 * EUC-KR or CP949 bytes, or a cut multi-byte character, is told where. Only called once a strict
 * decode has failed; valid bodies never pay for it.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const length = wellFormedLength(bytes, index);
    if (length === 0) return index;
    index += length;
  }
  return -1;
}

/** Length of the well-formed sequence starting at `index`, or 0 when it is ill-formed or cut short. */
function wellFormedLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  if (lead < 0x80) return 1;
  const rule = LEAD_RULES.find(([from, to]) => lead >= from && lead <= to);
  if (rule === undefined) return 0;
  const [, , continuations, secondLow, secondHigh] = rule;
  if (index + continuations >= bytes.length) return 0;
  for (let offset = 1; offset <= continuations; offset += 1) {
    const byte = bytes[index + offset]!;
    const [low, high] = offset === 1 ? [secondLow, secondHigh] : [0x80, 0xbf];
    if (byte < low || byte > high) return 0;
  }
  return continuations + 1;
}

/**
 * [first lead, last lead, continuation bytes, range of the second byte]. The narrow second-byte
 * ranges refuse overlong forms (E0, F0), UTF-16 surrogates (ED) and code points above U+10FFFF (F4).
 */
const LEAD_RULES: readonly (readonly [number, number, number, number, number])[] = [
  [0xc2, 0xdf, 1, 0x80, 0xbf],
  [0xe0, 0xe0, 2, 0xa0, 0xbf],
  [0xe1, 0xec, 2, 0x80, 0xbf],
  [0xed, 0xed, 2, 0x80, 0x9f],
  [0xee, 0xef, 2, 0x80, 0xbf],
  [0xf0, 0xf0, 3, 0x90, 0xbf],
  [0xf1, 0xf3, 3, 0x80, 0xbf],
  [0xf4, 0xf4, 3, 0x80, 0x8f],
];
