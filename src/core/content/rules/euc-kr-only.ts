import { HeraldError } from '../../domain/errors.ts';
import { EUC_KR_CHANNELS, findNonEucKr } from '../euc-kr.ts';
import type { ContentRule } from './content-under-check.ts';
import { describePart, fromVariables, textParts } from './content-under-check.ts';

/** SMS, LMS and MMS carry EUC-KR (KS X 1001) only; see euc-kr.ts for why a character is refused. */
export const eucKrOnly: ContentRule = {
  name: 'EUC-KR',
  judges: 'characters',
  check(content) {
    if (!EUC_KR_CHANNELS.has(content.channel)) return undefined;
    for (const [part, text] of textParts(content)) {
      const found = findNonEucKr(text);
      if (found) {
        return new HeraldError(
          'HERALD_NOT_EUC_KR',
          `${describePart(content, part)} has a character outside EUC-KR at index ${found.index} ` +
            `('${found.char}', ${found.codePoint})${fromVariables(content)}; ${content.channel} carries ` +
            'EUC-KR (KS X 1001) text only: no emoji, CP949-only Hangul or rare Hanja',
          { field: `${content.source}.${part}` },
        );
      }
    }
    return undefined;
  },
};
