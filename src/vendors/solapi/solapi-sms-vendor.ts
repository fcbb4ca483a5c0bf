import { cutToEucKrBytes } from '../../core/content/euc-kr.ts';
import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { type SolapiAccount, SolapiApi } from './solapi-api.ts';
import { checkSolapiDelivery, createSolapiReceiptLookup } from './solapi-lookup.ts';
import {
  HERALD_MESSAGE_ID_FIELD,
  SOLAPI_BULK_MESSAGES,
  type SolapiMessage,
  sendSolapiBatch,
  sendSolapiMessage,
} from './solapi-send.ts';
import { forgetSolapiImage, SOLAPI_MMS_IMAGE_MAX_BYTES, solapiImageId } from './solapi-storage.ts';

export interface SolapiVendorOptions {
  readonly id: string;
  readonly account: SolapiAccount;
  /** https://api.solapi.com, or the simulator's `<sim>/<vendorId>`. */
  readonly baseUrl: string;
  readonly channels?: readonly Channel[];
  readonly closeGraceMs?: number;
}

/** SOLAPI limits an LMS/MMS subject to 40 bytes (status 1014); EUC-KR Hangul takes two. */
const SUBJECT_MAX_BYTES = 40;

/**
 * SMS, LMS and MMS through SOLAPI (type SMS/LMS/MMS as herald's channel says; an MMS names the
 * image SOLAPI's storage holds). The ad lane has no endpoint or flag of its own at SOLAPI for
 * text messages (kakaoOptions.adFlag is FriendTalk's): the ad's marking, `(광고)` first and the
 * free opt-out line last, travels in the text, which herald's ad rules have checked at the API.
 */
export function createSolapiSmsVendor(options: SolapiVendorOptions): Vendor {
  const api = new SolapiApi(options);
  const channels = options.channels ?? ['sms', 'lms', 'mms'];
  return {
    id: options.id,
    channels,
    mmsLimits: { maxImages: 1, maxImageBytes: SOLAPI_MMS_IMAGE_MAX_BYTES },
    send: async (message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> => {
      const request = await solapiTextMessage(api, message, signal);
      return sendSolapiMessage(api, request, signal, imageGoneOf(api, message));
    },
    bulk: {
      maxMessages: SOLAPI_BULK_MESSAGES,
      // send-many takes any mix of types, senders and contents in one call.
      groupKey: () => 'any',
      sendMany: (messages, signal) =>
        sendSolapiBatch(api, messages, signal, async (message) => {
          const imageGone = imageGoneOf(api, message);
          return {
            message: await solapiTextMessage(api, message, signal),
            ...(imageGone ? { imageGone } : {}),
          };
        }),
    },
    checkDelivery: (vendorMessageId, signal) => checkSolapiDelivery(api, vendorMessageId, signal),
    receipts: createSolapiReceiptLookup(api),
    close: () => api.close(),
  };
}

function imageGoneOf(api: SolapiApi, message: OutboundMessage): (() => void) | undefined {
  const image = message.images?.[0];
  return image === undefined ? undefined : () => forgetSolapiImage(api, image);
}

async function solapiTextMessage(
  api: SolapiApi,
  message: OutboundMessage,
  signal: AbortSignal,
): Promise<SolapiMessage> {
  if (!message.from) {
    throw new HeraldError('HERALD_SENDER_NOT_REGISTERED', 'The message has no sender number (from)', {
      retryable: false,
    });
  }
  const base = {
    to: message.to,
    from: message.from,
    text: message.body,
    customFields: { [HERALD_MESSAGE_ID_FIELD]: message.messageId },
  };
  if (message.channel === 'sms') return { ...base, type: 'SMS' };
  const subject = message.subject || defaultSubject(message.body);
  if (message.channel === 'lms') return { ...base, type: 'LMS', subject };
  const images = message.images ?? [];
  if (images.length === 0) {
    throw new HeraldError('HERALD_MMS_IMAGE_REQUIRED', 'An MMS reached SOLAPI without an image', {
      retryable: false,
    });
  }
  if (images.length > 1) {
    // SOLAPI's MMS takes one imageId; a retry prefers a vendor that takes more.
    throw new HeraldError('HERALD_VENDOR_REJECTED', `Vendor ${api.id} takes one image per MMS`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'ONE_IMAGE_ONLY',
    });
  }
  if (images[0]!.content.byteLength > SOLAPI_MMS_IMAGE_MAX_BYTES) {
    // Checked at herald's API against 300 KB (other vendors' limit): SOLAPI stores 200 KB at most.
    throw new HeraldError('HERALD_VENDOR_REJECTED', `Vendor ${api.id} takes MMS images up to 200 KB`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'IMAGE_TOO_LARGE',
    });
  }
  const imageId = await solapiImageId(api, images[0]!, signal);
  return { ...base, type: 'MMS', subject, imageId };
}

/**
 * The subject of an LMS/MMS sent without one: the body's first line, cut to SOLAPI's 40 bytes
 * (EUC-KR: Hangul two, ASCII one), so the recipient's phone shows what the message is about.
 */
export function defaultSubject(body: string): string {
  return cutToEucKrBytes(body.split(/\r?\n/, 1)[0]!.trim(), SUBJECT_MAX_BYTES) || '-';
}
