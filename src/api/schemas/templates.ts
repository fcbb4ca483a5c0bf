import { Type } from 'typebox';

/**
 * AlimTalk templates as admins register them. Button rules follow the NHN and NAVER SENS contracts
 * (docs/vendor-contracts.md §4): a name of at most 14 characters, web links need a mobile link.
 */
export const TEMPLATE_CODE_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';

export const TemplateParams = Type.Object({
  code: Type.String({ pattern: TEMPLATE_CODE_PATTERN, description: 'Template code, as approved by Kakao' }),
});

const BUTTON_TYPES = ['WL', 'AL', 'DS', 'BK', 'MD', 'AC', 'BC', 'BT', 'BF', 'TN'] as const;

const TemplateButton = Type.Object(
  {
    type: Type.Enum(BUTTON_TYPES, {
      type: 'string',
      description: 'WL web link, AL app link, DS delivery...',
    }),
    name: Type.String({ minLength: 1, maxLength: 14 }),
    linkMobile: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 1000 })),
    linkPc: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const PutTemplateBody = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'Approved text with #{variable} placeholders',
    }),
    buttons: Type.Optional(Type.Immutable(Type.Array(TemplateButton, { maxItems: 5 }))),
    fallbackBody: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'SMS/LMS text when Kakao delivery fails (EUC-KR)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Stored buttons, as the store returns them (types registered before a rule change stay readable). */
const StoredTemplateButton = Type.Object({
  type: Type.String(),
  name: Type.String(),
  linkMobile: Type.Optional(Type.String()),
  linkPc: Type.Optional(Type.String()),
});

export const TemplateResponse = Type.Object({
  code: Type.String(),
  channel: Type.Literal('alimtalk'),
  body: Type.String(),
  buttons: Type.Immutable(Type.Array(StoredTemplateButton)),
  fallbackBody: Type.Optional(Type.String()),
  updatedAt: Type.Integer({ description: 'Epoch ms' }),
});

export const TemplateListResponse = Type.Object({ templates: Type.Immutable(Type.Array(TemplateResponse)) });
