import { Type } from 'typebox';
import {
  MAX_EMAIL_SENDERS,
  MAX_IMAGE_HOSTS,
  MAX_KAKAO_CHANNELS,
  MAX_SENDER_NUMBERS,
} from '../../core/senders/sender-registration.ts';

/**
 * Schemas of /v1/sender-numbers, /v1/kakao-channels and /v1/image-hosts: who a client sends as.
 * Shapes and sizes here; the number formats, duplicates and the one default in the core
 * (core/senders/sender-registration.ts).
 */
const ClientId = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'The client whose registration this is (the client id of its API keys)',
});

export const ClientQuery = Type.Object(
  {
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: "Admin keys only: whose registration to read (default: the key's own client)",
      }),
    ),
  },
  { additionalProperties: false },
);

const RegisteredAt = Type.Integer({
  description: 'Epoch ms when the entry was first registered (kept while later PUTs keep it)',
});

const SenderNumberIn = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 20,
      description:
        'A Korean sender number (발신번호), proven to the vendors beforehand: 02-1234-5678, 010..., 1588-1234. ' +
        'Stored as digits',
    }),
    isDefault: Type.Optional(
      Type.Boolean({
        description: 'Sent from when a request gives no `from`; at most one (default: the first)',
      }),
    ),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'For people' })),
  },
  { additionalProperties: false },
);

export const PutSenderNumbersBody = Type.Object(
  {
    clientId: ClientId,
    numbers: Type.Array(SenderNumberIn, {
      maxItems: MAX_SENDER_NUMBERS,
      description: "The client's whole list: it replaces the previous one (empty: none)",
    }),
  },
  { additionalProperties: false },
);

export const SenderNumbersResponse = Type.Object({
  clientId: Type.String(),
  numbers: Type.Array(
    Type.Object({
      number: Type.String({ description: 'Digits only' }),
      isDefault: Type.Boolean(),
      label: Type.Optional(Type.String()),
      registeredAt: RegisteredAt,
    }),
    { description: 'Oldest first' },
  ),
});

const SenderIds = Type.Record(Type.String({ maxLength: 63 }), Type.String({ minLength: 1, maxLength: 128 }), {
  minProperties: 1,
  maxProperties: 20,
  description:
    "Vendor id -> the channel's id there: nhn-alimtalk its senderKey (40 hex), sens-alimtalk its " +
    'plusFriendId (@name), solapi-alimtalk its pfId. A vendor without an entry is not used for this channel',
});

const KakaoChannelIn = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "The channel's search id (카카오톡 채널 검색용 아이디), e.g. @herald",
    }),
    senderIds: SenderIds,
    isDefault: Type.Optional(
      Type.Boolean({ description: 'The channel AlimTalk goes through; at most one (default: the first)' }),
    ),
  },
  { additionalProperties: false },
);

export const PutKakaoChannelsBody = Type.Object(
  {
    clientId: ClientId,
    channels: Type.Array(KakaoChannelIn, {
      maxItems: MAX_KAKAO_CHANNELS,
      description: "The client's whole list: it replaces the previous one",
    }),
  },
  { additionalProperties: false },
);

export const KakaoChannelsResponse = Type.Object({
  clientId: Type.String(),
  channels: Type.Array(
    Type.Object({
      name: Type.String(),
      senderIds: Type.Record(Type.String(), Type.String()),
      isDefault: Type.Boolean(),
      registeredAt: RegisteredAt,
    }),
  ),
});

export const PutImageHostsBody = Type.Object(
  {
    clientId: ClientId,
    hosts: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      maxItems: MAX_IMAGE_HOSTS,
      description:
        'Exact host names MMS image URLs of this client may point at (https only; no wildcards, ports or ' +
        'IP addresses); the whole list, replacing the previous one',
    }),
  },
  { additionalProperties: false },
);

export const ImageHostsResponse = Type.Object({
  clientId: Type.String(),
  hosts: Type.Array(Type.String(), { description: 'Lower case, oldest first' }),
});

const EmailSenderIn = Type.Object(
  {
    address: Type.String({
      minLength: 3,
      maxLength: 254,
      description:
        'An exact address the client sends e-mail from, verified at the e-mail vendors beforehand (SES identity, ' +
        "the relay's SPF/DKIM domain). The domain is stored lower case",
    }),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'The From display name sent with it (Shop <orders@shop.example>); no control characters',
      }),
    ),
    isDefault: Type.Optional(
      Type.Boolean({
        description: 'Sent from when an e-mail request gives no `from`; at most one (default: the first)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PutEmailSendersBody = Type.Object(
  {
    clientId: ClientId,
    senders: Type.Array(EmailSenderIn, {
      maxItems: MAX_EMAIL_SENDERS,
      description: "The client's whole list: it replaces the previous one (empty: none)",
    }),
  },
  { additionalProperties: false },
);

export const EmailSendersResponse = Type.Object({
  clientId: Type.String(),
  senders: Type.Array(
    Type.Object({
      address: Type.String(),
      name: Type.Optional(Type.String()),
      isDefault: Type.Boolean(),
      registeredAt: RegisteredAt,
    }),
    { description: 'Oldest first' },
  ),
});
