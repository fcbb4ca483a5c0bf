import { Type } from 'typebox';
import { ImagesSchema } from './mms-images.ts';

/** Largest body any channel accepts (email, 512 KiB); the channel's own limit is checked later. */
const BODY_MAX_CHARACTERS = 512 * 1024;

/** The request's `content` member: the text sent when no template is named. */
export const InlineContentSchema = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 998 })),
    body: Type.String({ minLength: 1, maxLength: BODY_MAX_CHARACTERS }),
    html: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: BODY_MAX_CHARACTERS,
        description:
          'email only: the HTML part (the body stays the text part). #{name} values are HTML-escaped in it. ' +
          'At most 512 KiB in UTF-8 once rendered; absent: the body as escaped HTML',
      }),
    ),
    images: Type.Optional(ImagesSchema),
  },
  {
    additionalProperties: false,
    description:
      'Inline text; #{name} placeholders take recipient vars. On sms, lms and mms also images (sent as mms)',
  },
);
