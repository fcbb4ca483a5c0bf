import { Type } from 'typebox';

/**
 * AlimTalk templates as clients (and admins for them) register them. Button rules follow the NHN
 * and NAVER SENS contracts (docs/vendor-contracts.md §4): a name of at most 14 characters, web
 * links need a mobile link.
 */
export const TEMPLATE_CODE_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const VENDOR_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';

export const TemplateParams = Type.Object({
  code: Type.String({ pattern: TEMPLATE_CODE_PATTERN, description: "Template code (the client's own)" }),
});

export const TemplateVendorParams = Type.Object({
  code: Type.String({ pattern: TEMPLATE_CODE_PATTERN }),
  vendorId: Type.String({ pattern: VENDOR_ID_PATTERN }),
});

export const ClientIdField = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'The client the template is for',
});

export const AdminClientQuery = Type.Object({ clientId: ClientIdField });
export const AdminListQuery = Type.Object({ clientId: Type.Optional(ClientIdField) });

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

const contentFields = {
  name: Type.Optional(
    Type.String({ minLength: 1, maxLength: 150, description: 'Name in template lists (default: the code)' }),
  ),
  body: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'Text with #{variable} placeholders, as Kakao is to review it',
  }),
  buttons: Type.Optional(Type.Immutable(Type.Array(TemplateButton, { maxItems: 5 }))),
  fallbackBody: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'SMS/LMS text when Kakao delivery fails (EUC-KR)',
    }),
  ),
};

export const PutTemplateBody = Type.Object(contentFields, { additionalProperties: false });
export const AdminPutTemplateBody = Type.Object(
  { clientId: ClientIdField, ...contentFields },
  { additionalProperties: false },
);

const vendorsField = Type.Optional(
  Type.Array(Type.String({ pattern: VENDOR_ID_PATTERN }), {
    minItems: 1,
    maxItems: 10,
    description: 'Only these vendors (default: every AlimTalk vendor where the client has a channel)',
  }),
);
export const SubmitTemplateBody = Type.Object({ vendors: vendorsField }, { additionalProperties: false });
export const AdminSubmitTemplateBody = Type.Object(
  { clientId: ClientIdField, vendors: vendorsField },
  { additionalProperties: false },
);

export const VendorReviewBody = Type.Object(
  {
    clientId: ClientIdField,
    code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "The template's code at the vendor (default: herald's)",
      }),
    ),
    state: Type.Enum(['requested', 'approved', 'rejected'] as const, { type: 'string' }),
    rejectedReason: Type.Optional(Type.String({ maxLength: 1000 })),
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

const TemplateState = Type.Enum(['draft', 'requested', 'approved', 'rejected'] as const, { type: 'string' });

const VendorStatus = Type.Object({
  code: Type.String({ description: "The template's code at this vendor" }),
  state: Type.Enum(['requested', 'approved', 'rejected'] as const, { type: 'string' }),
  rejectedReason: Type.Optional(Type.String()),
  syncedAt: Type.Integer({ description: 'Epoch ms of the submission or sync that told it' }),
});

export const TemplateResponse = Type.Object({
  clientId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  body: Type.String(),
  buttons: Type.Immutable(Type.Array(StoredTemplateButton)),
  fallbackBody: Type.Optional(Type.String()),
  version: Type.Integer({ description: '1, then +1 on every change of text, buttons or fallback' }),
  state: TemplateState,
  rejectedReason: Type.Optional(Type.String()),
  vendors: Type.Record(Type.String(), VendorStatus, { description: 'Vendor id -> the review there' }),
  createdAt: Type.Integer({ description: 'Epoch ms' }),
  updatedAt: Type.Integer({ description: 'Epoch ms' }),
});

export const PutTemplateResponse = Type.Object({
  outcome: Type.Enum(['created', 'revised', 'renamed', 'unchanged'] as const, { type: 'string' }),
  template: TemplateResponse,
});

export const TemplateListResponse = Type.Object({ templates: Type.Immutable(Type.Array(TemplateResponse)) });

export const TemplateVersionsResponse = Type.Object({
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      name: Type.String(),
      body: Type.String(),
      buttons: Type.Immutable(Type.Array(StoredTemplateButton)),
      fallbackBody: Type.Optional(Type.String()),
      createdAt: Type.Integer(),
    }),
  ),
  audit: Type.Array(
    Type.Object({
      vendorId: Type.Optional(Type.String()),
      at: Type.Integer(),
      action: Type.String(),
      detail: Type.String(),
    }),
  ),
});

export const SubmitTemplateResponse = Type.Object({
  template: TemplateResponse,
  outcomes: Type.Array(
    Type.Object({
      vendorId: Type.String(),
      outcome: Type.Enum(['requested', 'skipped', 'failed'] as const, { type: 'string' }),
      reason: Type.Optional(Type.String()),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
    }),
  ),
});
