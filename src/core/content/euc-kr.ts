import iconv from 'iconv-lite';
import type { Channel } from '../domain/channel.ts';

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

/** Channels carried as EUC-KR by Korean carriers. */
export const EUC_KR_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'lms', 'mms']);

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

/** Bytes the text takes in EUC-KR: 1 per ASCII character, 2 per other character (code point). */
export function eucKrByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    bytes += unit < ASCII_END ? 1 : 2;
    if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) i += 1;
  }
  return bytes;
}

/** The longest prefix of `text` (whole code points) within `maxBytes` EUC-KR bytes: a vendor's subject limit. */
export function cutToEucKrBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += eucKrByteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * The first character that strict EUC-KR cannot carry, or undefined when the whole text fits.
 * One table lookup per character: bodies reach 1 MB before their size is judged, and iconv-lite
 * encoding and decoding the whole text costs tens of milliseconds at that size.
 */
export function findNonEucKr(text: string): NonEucKrCharacter | undefined {
  const carried = carriedTable();
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    // Every KS X 1001 character is in the Basic Multilingual Plane: a surrogate never fits.
    if (unit >= ASCII_END && carried[unit] !== 1) {
      return describe(String.fromCodePoint(text.codePointAt(index)!), index);
    }
  }
  return undefined;
}

let carried: Uint8Array | undefined;

/**
 * 1 for each UTF-16 code unit that strict EUC-KR carries, built once from iconv-lite's table: every
 * non-ASCII BMP character encoded in one call, then each checked for two bytes in the KS X 1001
 * range (0xA1-0xFE) that decode back to the same character (a many-to-one mapping would reach the
 * handset changed). Characters iconv cannot encode come out as a single `?` and are not carried.
 */
function carriedTable(): Uint8Array {
  if (carried) return carried;
  const table = new Uint8Array(0x10000);
  const units: number[] = [];
  for (let unit = ASCII_END; unit <= 0xffff; unit += 1) {
    if (!isHighSurrogate(unit) && !isLowSurrogate(unit)) units.push(unit);
  }
  const bytes = iconv.encode(String.fromCharCode(...units), ENCODING);
  let offset = 0;
  for (const unit of units) {
    const lead = bytes[offset]!;
    if (lead < ASCII_END) {
      offset += 1;
      continue;
    }
    const pair = bytes.subarray(offset, offset + 2);
    offset += 2;
    if (
      isKsX1001Byte(pair[0]) &&
      isKsX1001Byte(pair[1]) &&
      iconv.decode(pair, ENCODING).charCodeAt(0) === unit
    ) {
      table[unit] = 1;
    }
  }
  carried = table;
  return table;
}

function isKsX1001Byte(byte: number | undefined): boolean {
  return byte !== undefined && byte >= KS_X_1001_FIRST && byte <= KS_X_1001_LAST;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function describe(char: string, index: number): NonEucKrCharacter {
  const hex = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return { char, index, codePoint: `U+${hex}` };
}
