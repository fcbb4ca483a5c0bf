import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import type { SolapiApi } from './solapi-api.ts';
import { IMAGE_GONE_CODES, mapSolapiStatus } from './solapi-status.ts';

/** The customFields key that carries herald's message id (SOLAPI: key <= 30 chars, value <= 100). */
export const HERALD_MESSAGE_ID_FIELD = 'heraldMessageId';

/** SOLAPI's button as kakaoOptions.buttons takes it (solapi-nodejs src/models/base/kakao/kakaoButton.ts). */
export interface SolapiButton {
  readonly buttonName: string;
  readonly buttonType: string;
  readonly linkMo?: string;
  readonly linkPc?: string;
  readonly linkAnd?: string;
  readonly linkIos?: string;
}

/** A VOICE message's options (solapi-nodejs src/models/requests/voice/voiceOption.ts). */
export interface SolapiVoiceOptions {
  readonly voiceType: 'FEMALE' | 'MALE';
  readonly headerMessage?: string;
  readonly tailMessage?: string;
  readonly replyRange?: number;
  readonly counselorNumber?: string;
}

/**
 * One message of send-many/detail's `messages` (solapi-nodejs src/models/base/messages/message.ts,
 * kakaoOption.ts, voiceOption.ts): type given explicitly (herald's channel decides, never SOLAPI's autoTypeDetect).
 */
export interface SolapiMessage {
  readonly to: string;
  readonly from?: string;
  readonly text?: string;
  readonly type: 'SMS' | 'LMS' | 'MMS' | 'ATA' | 'VOICE';
  readonly subject?: string;
  readonly imageId?: string;
  readonly kakaoOptions?: {
    readonly pfId: string;
    readonly templateId: string;
    readonly variables: Readonly<Record<string, string>>;
    readonly buttons?: readonly SolapiButton[];
    readonly disableSms: boolean;
  };
  readonly voiceOptions?: SolapiVoiceOptions;
  readonly customFields: Readonly<Record<string, string>>;
}

interface SolapiMessageResult {
  readonly messageId?: string;
  readonly statusCode?: string;
  readonly statusMessage?: string;
  readonly customFields?: Readonly<Record<string, string>>;
}

/** send-many/detail's answer (solapi-nodejs src/models/responses/sendManyDetailResponse.ts). */
interface SendManyDetailResponse {
  readonly groupInfo?: { readonly groupId?: string };
  readonly failedMessageList?: readonly SolapiMessageResult[];
  readonly messageList?: readonly SolapiMessageResult[];
}

/** One message for send-many/detail, and what to do if SOLAPI no longer knows its image. */
export interface SolapiOutgoing {
  readonly message: SolapiMessage;
  readonly imageGone?: () => void;
}

/**
 * Sends one message through `POST /messages/v4/send-many/detail` (solapi-nodejs
 * src/services/messages/messageService.ts send): sendSolapiMessages of one, its refusal thrown.
 */
export async function sendSolapiMessage(
  api: SolapiApi,
  message: SolapiMessage,
  signal: AbortSignal,
  imageGone?: () => void,
): Promise<SendReceipt> {
  const [result] = await sendSolapiMessages(api, [{ message, ...(imageGone ? { imageGone } : {}) }], signal);
  if (result instanceof HeraldError) throw result;
  return result!;
}

/**
 * Sends messages in one `POST /messages/v4/send-many/detail` call (one on the realtime lane, a
 * batch on the batch and ad lanes), with showMessageList so the answer names the message id SOLAPI
 * gave each (the result look-up's key). A message SOLAPI refused at registration is in
 * failedMessageList with its status code: each is matched by herald's message id in customFields.
 * Returns one result per message, in order; a failure of the whole call is thrown (SolapiApi).
 */
export async function sendSolapiMessages(
  api: SolapiApi,
  outgoing: readonly SolapiOutgoing[],
  signal: AbortSignal,
): Promise<(SendReceipt | HeraldError)[]> {
  const body = (await api.call(
    'POST',
    '/messages/v4/send-many/detail',
    { messages: outgoing.map(({ message }) => message), showMessageList: true },
    signal,
  )) as SendManyDetailResponse | undefined;
  const single = outgoing.length === 1;
  const find = (list: readonly SolapiMessageResult[] | undefined, heraldId: string | undefined) =>
    list?.find((item) => item.customFields?.[HERALD_MESSAGE_ID_FIELD] === heraldId) ??
    (single && list?.length === 1 ? list[0] : undefined);
  return outgoing.map(({ message, imageGone }) => {
    const heraldId = message.customFields[HERALD_MESSAGE_ID_FIELD];
    const failed = find(body?.failedMessageList, heraldId);
    if (failed !== undefined) {
      const code = failed.statusCode ?? 'UNKNOWN';
      if (IMAGE_GONE_CODES.has(code)) imageGone?.();
      return mapSolapiStatus(api.id, code, failed.statusMessage ?? '');
    }
    const vendorMessageId =
      find(body?.messageList, heraldId)?.messageId ?? (single ? body?.groupInfo?.groupId : undefined);
    if (typeof vendorMessageId !== 'string' || vendorMessageId === '') {
      return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${api.id} answered without a message id`, {
        retryable: true,
        vendorFault: true,
        vendorCode: 'NO_MESSAGE_ID',
      });
    }
    return { vendorMessageId };
  });
}

/**
 * Messages per send-many call on the batch and ad lanes: SOLAPI takes up to 10,000, herald stops
 * at 1,000 so one call's body stays near a few hundred KB and one failed call retries no more.
 */
export const SOLAPI_BULK_MESSAGES = 1_000;

/**
 * A bulk side's sendMany over send-many/detail: each message prepared for SOLAPI (`prepare`), the
 * ones refused before the call (no sender, an image SOLAPI cannot take, no Kakao channel or
 * template) kept out of it with their own refusal, the rest in one call; one result per message,
 * in order.
 */
export async function sendSolapiBatch(
  api: SolapiApi,
  messages: readonly OutboundMessage[],
  signal: AbortSignal,
  prepare: (message: OutboundMessage) => Promise<SolapiOutgoing>,
): Promise<(SendReceipt | HeraldError)[]> {
  const prepared = await Promise.all(
    messages.map((message) => prepare(message).catch((error: unknown) => asHeraldError(api.id, error))),
  );
  const outgoing = prepared.filter((each): each is SolapiOutgoing => !(each instanceof HeraldError));
  const sent = outgoing.length === 0 ? [] : await sendSolapiMessages(api, outgoing, signal);
  let next = 0;
  return prepared.map((each) => (each instanceof HeraldError ? each : sent[next++]!));
}

function asHeraldError(vendorId: string, error: unknown): HeraldError {
  if (error instanceof HeraldError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${vendorId}: ${cause.message}`, {
    retryable: true,
    vendorFault: true,
    cause,
  });
}
