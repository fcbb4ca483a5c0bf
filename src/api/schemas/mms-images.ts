import { Type } from 'typebox';
import { MMS_FILE_NAME_MAX, MMS_IMAGE_MAX_SIDE, MMS_MAX_IMAGES } from '../../core/media/image-rules.ts';

/**
 * MMS images. Sizes here are gross (the body limit bounds them anyway): the rules themselves (3
 * images, 300 KB, 1000x1000, baseline JPEG) are the core's, whose 400 HERALD_IMAGE_INVALID names
 * the image and the limit, which a schema error could not.
 */
const IMAGE_FILE_NAME = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 255,
    description: `Told to the vendor (a plain name ending .jpg of at most ${MMS_FILE_NAME_MAX} characters; else image-<n>.jpg)`,
  }),
);

/** content.images: each image inline (base64) or by URL. */
export const ImagesSchema = Type.Array(
  Type.Union([
    Type.Object(
      {
        base64: Type.String({
          minLength: 4,
          maxLength: 4 * 1024 * 1024,
          description: 'The JPEG, base64 (RFC 4648; a data:image/jpeg;base64, prefix is taken)',
        }),
        fileName: IMAGE_FILE_NAME,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        url: Type.String({
          minLength: 9,
          maxLength: 2048,
          description:
            'An https URL on a host registered for your client (PUT /v1/image-hosts); fetched once, with ' +
            'size and time limits, never from a private or loopback address (else 422 HERALD_IMAGE_FETCH_FAILED)',
        }),
        fileName: IMAGE_FILE_NAME,
      },
      { additionalProperties: false },
    ),
  ]),
  {
    minItems: 1,
    maxItems: 10,
    description:
      `MMS images: at most ${MMS_MAX_IMAGES}, each a baseline JPEG of at most 300 KB and ` +
      `${MMS_IMAGE_MAX_SIDE}x${MMS_IMAGE_MAX_SIDE} pixels, 800 KB together (400 HERALD_IMAGE_INVALID names ` +
      'the image and the limit). See docs/mms.md',
  },
);

/** The request's `mms` member. */
export const MmsOptionsSchema = Type.Object(
  {
    allowLmsWithoutImage: Type.Optional(
      Type.Boolean({
        description:
          'true: an mms request without content.images is sent as lms instead of refused (400 HERALD_MMS_IMAGE_REQUIRED)',
      }),
    ),
  },
  { additionalProperties: false, description: 'Channel mms only' },
);
