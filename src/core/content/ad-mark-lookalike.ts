/**
 * What a reader takes for the advertising mark `(광고)` at the start of a text, whatever its exact
 * characters: the mark after leading spaces or invisible characters, in full-width or other
 * compatibility forms (`（광고）`, `﹙광고﹚`), with other brackets (`[광고]`, `【광고】`, `<광고>`), with
 * spaces or dots inside (`(광 고)`, `(광.고)`), or in Hanja (`(廣告)`).
 *
 * Two uses: outside the ad lane, text that reads as an ad is refused (it would escape the opt-out
 * list and the night rule); on the ad lane, where only the exact `(광고)` is lawful, it lets the error
 * say which variant the client wrote.
 */

/**
 * Characters a reader does not see: format characters (zero-width space, joiners, word joiner,
 * BOM, soft hyphen, bidi marks: \p{Cf}), the combining grapheme joiner, variation selectors and
 * the Hangul fillers, which render as nothing.
 */
const FORMAT = /^\p{Cf}$/u;
const OTHER_INVISIBLE = new Set([0x034f, 0x115f, 0x1160, 0x3164, 0xffa0]);

function isInvisible(char: string): boolean {
  const code = char.codePointAt(0)!;
  return FORMAT.test(char) || OTHER_INVISIBLE.has(code) || (code >= 0xfe00 && code <= 0xfe0f);
}

const SPACE = /\s/u;
/** Enough visible characters for any spelling of the mark; what follows is never looked at. */
const HEAD_LENGTH = 16;

/**
 * After NFKC (which turns full-width and small forms into ASCII and composes Hangul jamo): an
 * optional opening bracket, 광고 or 廣告 with spaces or separators allowed between the two
 * syllables, an optional closing bracket.
 */
const MARK_LIKE =
  /^([([{<【〔〈《「『])?\s*(?:광[\s/·.,ㆍ・\-_*|]*고|廣[\s/·.,ㆍ・\-_*|]*告)\s*([)\]}>】〕〉》」』])?/u;

export interface AdMarkLookalike {
  /** The start of the text as the client wrote it, invisible characters left out, e.g. `（광고）`. */
  readonly written: string;
  /**
   * Whether it reads as the mark: a closing bracket after 광고. Bare `광고` does not (`광고 문의 답변`
   * is an informational message), nor does an open bracket alone (`(광고 집행 완료)`).
   */
  readonly readsAsMark: boolean;
}

/** The mark-like start of `text`, or undefined when it does not start like the mark at all. */
export function findAdMarkLookalike(text: string): AdMarkLookalike | undefined {
  const visible = visibleHead(text);
  const match = MARK_LIKE.exec(visible.join('').normalize('NFKC'));
  if (!match) return undefined;
  // Quote what the client wrote: the shortest start whose normalised form covers the match.
  const matched = match[0].trimEnd();
  let written = '';
  for (const char of visible) {
    written += char;
    if (written.normalize('NFKC').startsWith(matched)) break;
  }
  return { written, readsAsMark: match[2] !== undefined };
}

/** The first HEAD_LENGTH visible characters after leading spaces, invisible ones dropped throughout. */
function visibleHead(text: string): string[] {
  const head: string[] = [];
  let at = skipAsciiSpaces(text);
  while (at < text.length && head.length < HEAD_LENGTH) {
    const char = String.fromCodePoint(text.codePointAt(at)!);
    at += char.length;
    if (isInvisible(char) || (head.length === 0 && SPACE.test(char))) continue;
    head.push(char);
  }
  return head;
}

/** Past leading ASCII spaces, tabs and line breaks without a regex per character (they may be 500,000). */
function skipAsciiSpaces(text: string): number {
  let at = 0;
  for (; at < text.length; at += 1) {
    const unit = text.charCodeAt(at);
    if (unit !== 0x20 && (unit < 0x09 || unit > 0x0d)) break;
  }
  return at;
}
