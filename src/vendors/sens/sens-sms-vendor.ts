import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundImage, OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { FILE_ID_CACHE, type FileIdCache, fileIdKey } from '../file-id-cache.ts';
import { HERALD_MESSAGE_ID_HEADER, type SensAccount, SensClient } from './sens-client.ts';
import { createSensReceiptLookup, sensSmsMessageIds } from './sens-sms-receipts.ts';
import { defaultSubject } from './sens-text.ts';

export interface SensSmsVendorOptions {
  readonly id: string;
  readonly baseUrl: string;
  readonly account: SensAccount;
  readonly channels?: readonly Channel[];
  readonly fileIds?: FileIdCache;
  readonly now?: () => number;
}

/** Most messages one SENS send call takes (sens-sms-send and sens-alimtalk-send: messages <= 100). */
export const SENS_MAX_MESSAGES = 100;

/** SENS keeps an uploaded MMS image 6 days (sens-sms-file-create; vendor-contracts.md §4.C). */
const SENS_FILE_LIFETIME_MS = 6 * 24 * 3_600_000;

/**
 * SENS SMS/LMS/MMS (https://api.ncloud-docs.com/docs/sens-sms-send), one recipient per call, or
 * (`bulk`, the batch and ad lanes) up to 100 of the same type and sender:
 *
 *   POST /sms/v2/services/{serviceId}/messages
 *   {"type":"SMS"|"LMS"|"MMS","contentType":"COMM"|"AD","countryCode":"82","from":"0212345678",
 *    "subject":"...","content":"...","messages":[{"to":"01012345678"}],"files":[{"fileId":"..."}]}
 *   -> 202 {"requestId","requestTime","statusCode":"202","statusName":"success"}
 *
 * SENS gives no per-message id on send: the receipt's vendorMessageId is the requestId with a tag
 * of the recipient (sens-sms-receipts.ts), which the result look-up (`receipts`) finds again. The
 * ad lane goes as contentType AD; LMS/MMS without a subject take the body's first line.
 */
export function createSensSmsVendor(options: SensSmsVendorOptions): Vendor {
  const client = new SensClient({
    vendorId: options.id,
    baseUrl: options.baseUrl,
    account: options.account,
    ...(options.now ? { now: options.now } : {}),
  });
  const fileIds = options.fileIds ?? FILE_ID_CACHE;
  const now = options.now ?? Date.now;
  const base = client.servicePath('sms');

  /** POST .../files {fileName, fileBody: base64} -> {fileId, createTime, expireTime}, once per image. */
  const fileIdOf = (image: OutboundImage, signal: AbortSignal): Promise<string> =>
    fileIds.fileIdFor(fileIdKey(options.id, options.account.accessKey, image.sha256), async () => {
      const uploadedAt = now();
      const response = await client.call('POST', `${base}/files`, signal, {
        json: { fileName: image.fileName, fileBody: Buffer.from(image.content).toString('base64') },
      });
      const fileId = (response.body as { fileId?: unknown } | undefined)?.fileId;
      if (typeof fileId !== 'string' || fileId === '') throw malformed(options.id, 'file upload');
      // Counted from before the upload: the cache's margin keeps a send off a lapsing id.
      return { fileId, expiresAt: uploadedAt + SENS_FILE_LIFETIME_MS };
    });

  const typeOf = (message: OutboundMessage, files: number): 'SMS' | 'LMS' | 'MMS' =>
    message.channel === 'sms' ? 'SMS' : files > 0 ? 'MMS' : 'LMS';
  const subjectOf = (message: OutboundMessage) => message.subject || defaultSubject(message.body);

  /**
   * One call for messages of one bulk key (type, ad, sender, images): the first message's content
   * and subject are the call's defaults, and a message that differs carries its own in its
   * `messages[]` entry (SENS: "per-message values override the defaults"). SENS answers a call
   * whole: 202 with one requestId, which is every message's receipt, or an error for all.
   */
  const sendMany = async (messages: readonly OutboundMessage[], signal: AbortSignal) => {
    const first = messages[0]!;
    if (!first.from) {
      throw new HeraldError('HERALD_SENDER_NOT_REGISTERED', 'The message has no sender number (from)', {
        retryable: false,
      });
    }
    const images = first.channel === 'mms' ? (first.images ?? []) : [];
    const files = [];
    for (const image of images) files.push({ fileId: await fileIdOf(image, signal) });
    const type = typeOf(first, files.length);
    const subject = type === 'SMS' ? undefined : subjectOf(first);
    const body = {
      type,
      contentType: first.lane === 'ad' ? 'AD' : 'COMM',
      countryCode: '82',
      from: first.from,
      ...(subject === undefined ? {} : { subject }),
      content: first.body,
      messages: messages.map((message) => ({
        to: message.to,
        ...(subject === undefined || subjectOf(message) === subject ? {} : { subject: subjectOf(message) }),
        ...(message.body === first.body ? {} : { content: message.body }),
      })),
      ...(files.length > 0 ? { files } : {}),
    };
    const response = await client.call('POST', `${base}/messages`, signal, {
      json: body,
      headers: { [HERALD_MESSAGE_ID_HEADER]: messages.map((message) => message.messageId).join(',') },
    });
    const requestId = (response.body as { requestId?: unknown } | undefined)?.requestId;
    if (typeof requestId !== 'string' || requestId === '') throw malformed(options.id, 'send');
    return sensSmsMessageIds(
      requestId,
      messages.map((message) => message.to),
    ).map((vendorMessageId) => ({ vendorMessageId }));
  };

  return {
    id: options.id,
    channels: options.channels ?? ['sms', 'lms', 'mms'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const [receipt] = await sendMany([message], signal);
      return receipt!;
    },
    bulk: {
      maxMessages: SENS_MAX_MESSAGES,
      groupKey: (message) =>
        JSON.stringify([
          message.channel,
          message.lane === 'ad',
          message.from ?? '',
          message.channel === 'mms' ? (message.images ?? []).map((image) => image.sha256) : [],
        ]),
      sendMany,
    },
    receipts: createSensReceiptLookup(client, now),
    close: () => client.close(),
  };
}

/** A 2xx without the id SENS promises: the message may have been taken; a retry is the lesser harm. */
export function malformed(vendorId: string, what: string): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `Vendor ${vendorId} answered its ${what} without an id`,
    {
      retryable: true,
      vendorFault: true,
      vendorCode: 'MALFORMED_RESPONSE',
    },
  );
}
