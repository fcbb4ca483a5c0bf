import type { Channel } from '../../domain/channel.ts';
import type { HeraldError } from '../../domain/errors.ts';
import type { Lane } from '../../domain/lane.ts';
import type { PushOptions } from '../../domain/push-message.ts';
import type { TextPart } from '../channel-limits.ts';

/**
 * The text a content rule judges: one recipient's rendered content, or the request's own text
 * (fixed text, or text with its placeholders still in it for the rules that judge characters).
 */
export interface ContentUnderCheck {
  /** The channel the client asked for (an SMS may still become an LMS). */
  readonly channel: Channel;
  readonly lane: Lane;
  /** Where the text came from: the request's `content`, or the registered AlimTalk `template`. */
  readonly source: 'content' | 'template';
  readonly subject?: string;
  readonly body: string;
  /** The recipient the text was rendered for; absent for the request's own text. */
  readonly recipient?: number;
  readonly smsAutoUpgrade: boolean;
  /** Ad lane: the advertiser's `sender.name` (checked present at request level). */
  readonly senderName?: string;
  /** Push: the request's options, which travel in the same payload as the text. */
  readonly push?: PushOptions;
}

/**
 * One rule over the text. `judges: 'characters'` marks a rule that looks at characters one by one
 * (control characters, EUC-KR): placeholders only add characters, so a breach in the request's own
 * text is a breach for every recipient, and it is answered once, for the request.
 */
export interface ContentRule {
  readonly name: string;
  readonly judges: 'characters' | 'whole text';
  check(content: ContentUnderCheck): HeraldError | undefined;
}

/** `content.body`, or `content.body (rendered for recipients[3])`: how messages name the text. */
export function describePart(content: ContentUnderCheck, part: TextPart): string {
  return `${content.source}.${part}${renderedFor(content)}`;
}

export function renderedFor(content: ContentUnderCheck): string {
  return content.recipient === undefined ? '' : ` (rendered for recipients[${content.recipient}])`;
}

/** The parts a rule looks at, subject first (the order messages name them in). */
export function textParts(content: ContentUnderCheck): readonly [TextPart, string][] {
  return content.subject === undefined
    ? [['body', content.body]]
    : [
        ['subject', content.subject],
        ['body', content.body],
      ];
}

/** `U+000A`: a character named so a message never depends on the reader's font or terminal. */
export function codePointOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** For a rule that judges characters: a breach found per recipient came in with their variables. */
export function fromVariables(content: ContentUnderCheck): string {
  return content.recipient === undefined ? '' : `, brought in by recipients[${content.recipient}].vars`;
}
