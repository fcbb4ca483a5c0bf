import iconv from 'iconv-lite';

/**
 * EUC-KR rules for Korean SMS/LMS/MMS.
 *
 * Carriers and every Korean SMS vendor carry text as EUC-KR and count limits in its bytes (SMS 90,
 * LMS/MMS 2000): ASCII is 1 byte, every other character 2. A character outside the character set
 * (emoji, most Hanja, CP949-only Hangul such as 똠) makes the vendor refuse the whole message
 * (NHN -2023) or deliver a `?`, so herald rejects it at the API with the field and position.
 *
 * Strict EUC-KR means KS X 1001: both bytes of a double-byte character lie in 0xA1-0xFE. iconv-lite's
 * `euc-kr` is really CP949 (Microsoft's superset), which also encodes the 8,822 extra Hangul
 * syllables with lead bytes 0x81-0xC6 and trail bytes below 0xA1; those are exactly what handsets
 * and vendors that speak real EUC-KR cannot show, so a byte outside the KS X 1001 range is refused.
 * Characters iconv cannot encode at all come out as a single `?` (0x3F) and fail the same test.
 */
const ENCODING = 'cp949';
const KS_X_1001_FIRST = 0xa1;
const KS_X_1001_LAST = 0xfe;
const ASCII_END = 0x80;

export interface NonEucKrCharacter {
  /** The offending character (a whole code point, so an emoji is one entry). */
  readonly char: string;
  /** Its position in the string, in UTF-16 code units (String.prototype.indexOf semantics). */
  readonly index: number;
  /** `U+1F600` style, for error messages that must not depend on the client's font. */
  readonly codePoint: string;
}

/** Bytes the text takes in EUC-KR: 1 per ASCII character, 2 per other character. */
export function eucKrByteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    bytes += char.codePointAt(0)! < ASCII_END ? 1 : 2;
  }
  return bytes;
}

/** The first character that strict EUC-KR cannot carry, or undefined when the whole text fits. */
export function findNonEucKr(text: string): NonEucKrCharacter | undefined {
  // Encode once for the whole text (one call, not one per character: bodies reach 2000 bytes and a
  // request carries 100 of them), then walk characters and bytes side by side.
  const bytes = iconv.encode(text, ENCODING);
  let offset = 0;
  let index = 0;
  for (const char of text) {
    if (char.codePointAt(0)! >= ASCII_END) {
      if (!isKsX1001Byte(bytes[offset]) || !isKsX1001Byte(bytes[offset + 1])) {
        return describe(char, index);
      }
      offset += 2;
    } else {
      offset += 1;
    }
    index += char.length;
  }
  return findRoundTripMismatch(text, iconv.decode(bytes, ENCODING));
}

function isKsX1001Byte(byte: number | undefined): boolean {
  return byte !== undefined && byte >= KS_X_1001_FIRST && byte <= KS_X_1001_LAST;
}

/**
 * A character whose code decodes to a different character (a many-to-one mapping in the table)
 * would reach the handset changed, so it counts as not carried. Every KS X 1001 character is in the
 * Basic Multilingual Plane, so once the byte walk passed, both strings align code unit by code unit.
 */
function findRoundTripMismatch(text: string, decoded: string): NonEucKrCharacter | undefined {
  if (decoded === text) {
    return undefined;
  }
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] !== decoded[index]) {
      return describe(String.fromCodePoint(text.codePointAt(index)!), index);
    }
  }
  return undefined;
}

function describe(char: string, index: number): NonEucKrCharacter {
  const hex = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return { char, index, codePoint: `U+${hex}` };
}
