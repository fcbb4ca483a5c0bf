import type { Channel } from '../../domain/channel.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { TextPart } from '../channel-limits.ts';
import type { ContentRule, ContentUnderCheck } from './content-under-check.ts';
import { codePointOf, describePart, fromVariables, textParts } from './content-under-check.ts';

/**
 * Control characters where they do harm.
 *
 * - A header-bound field (today the e-mail subject; a future from or reply-to name joins the list)
 *   becomes a mail header. CR or LF there ends the header and lets the text write headers of its
 *   own (Bcc:, a second body: header injection), and mail relays refuse or mangle other controls.
 *   So every C0 and C1 control, DEL and the Unicode line and paragraph separators are refused,
 *   wherever they come from (a variable rendered into the subject counts).
 * - Everywhere else (bodies, push titles, LMS subjects) only NUL is refused: vendors written in C
 *   cut the text there, and some refuse the message. Tabs and newlines are ordinary body text.
 */
const HEADER_BOUND: Readonly<Partial<Record<Channel, readonly TextPart[]>>> = { email: ['subject'] };

const NUL = '\u0000';

/** C0 controls (CR and LF among them), DEL, C1 controls, and the Unicode line and paragraph separators. */
function breaksHeader(unit: number): boolean {
  return unit < 0x20 || (unit >= 0x7f && unit <= 0x9f) || unit === 0x2028 || unit === 0x2029;
}

function firstHeaderBreaking(text: string): number {
  for (let i = 0; i < text.length; i += 1) if (breaksHeader(text.charCodeAt(i))) return i;
  return -1;
}

/**
 * Whether `text` has a character that has no place in a one-line value (an identifier, a header
 * value): the same set as a header-bound field refuses.
 */
export function hasLineBreakingControl(text: string): boolean {
  return firstHeaderBreaking(text) >= 0;
}

const NAMES: Readonly<Record<string, string>> = {
  '\u0000': 'NUL',
  '\t': 'tab',
  '\n': 'line feed',
  '\r': 'carriage return',
};

export const controlCharacters: ContentRule = {
  name: 'control characters',
  judges: 'characters',
  check(content) {
    for (const [part, text] of textParts(content)) {
      const headerBound = HEADER_BOUND[content.channel]?.includes(part) ?? false;
      const index = headerBound ? firstHeaderBreaking(text) : text.indexOf(NUL);
      if (index >= 0) return refusal(content, part, text, index, headerBound);
    }
    return undefined;
  },
};

function refusal(
  content: ContentUnderCheck,
  part: TextPart,
  text: string,
  index: number,
  headerBound: boolean,
): HeraldError {
  const char = text[index]!;
  const named = NAMES[char] ? `${codePointOf(char)}, ${NAMES[char]}` : codePointOf(char);
  const why = headerBound
    ? `the ${content.channel} ${part} is a mail header, where a line break would end it and start ` +
      'headers of its own, so control characters, CR and LF are refused there'
    : 'NUL cuts the text short at vendors or makes them refuse it';
  return new HeraldError(
    'HERALD_CONTROL_CHARACTER',
    `${describePart(content, part)} has a control character at index ${index} (${named})` +
      `${fromVariables(content)}; ${why}: remove it`,
    { field: `${content.source}.${part}` },
  );
}
