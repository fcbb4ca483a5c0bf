import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { BulkSendResult, Vendor } from '../../ports/vendor.ts';
import { FILE_ID_CACHE, type FileIdCache } from '../file-id-cache.ts';
import { JsonHttpClient } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { attachFileIdsOf, forgetAttachFiles, type NhnAttachContext } from './nhn-sms-attachments.ts';
import { NHN_FILE_GONE } from './nhn-sms-codes.ts';
import { mapNhnDelivery, nhnLookUpPath } from './nhn-sms-delivery.ts';
import { createNhnReceiptLookup } from './nhn-sms-receipts.ts';
import { NHN_MAX_RECIPIENTS, nhnBulkKey, nhnSendBody, nhnSendPath } from './nhn-sms-request.ts';
import { mapNhnSendResults } from './nhn-sms-response.ts';

export interface NhnSmsVendorOptions {
  readonly id: string;
  /** Default sms, lms, mms. */
  readonly channels?: readonly Channel[];
  /** NHN's origin (https://api-sms.cloud.toast.com) or the simulator's `<sim>/<vendorId>`. */
  readonly baseUrl: string;
  /** The project's appKey (console: URL & Appkey); goes in the path. */
  readonly appKey: string;
  /** The secret key (console: Secret Key); goes in the X-Secret-Key header, never logged. */
  readonly secretKey: string;
  /** The process-wide file id cache unless a test gives its own. */
  readonly fileIds?: FileIdCache;
  readonly connections?: number;
  readonly now?: () => number;
}

export const NHN_SMS_CHANNELS: readonly Channel[] = ['sms', 'lms', 'mms'];

/**
 * NHN Cloud SMS v3.0 (NHN Cloud > Notification > SMS): SMS, LMS and MMS, the ad lane through
 * NHN's ad-sms / ad-mms senders, MMS images through its attach-file API. One recipient per call,
 * or (`bulk`, the batch and ad lanes) up to 1,000 with the same content in one recipientList.
 * The receipt's vendorMessageId is `${requestId}:${recipientSeq}` (NHN's look-up keys; `:mms` added
 * for LMS/MMS, whose look-up is under /sender/mms); checkDelivery reads NHN's result look-up.
 */
export function createNhnSmsVendor(options: NhnSmsVendorOptions): Vendor {
  const { id, appKey } = options;
  const now = options.now ?? Date.now;
  const client = new JsonHttpClient({
    baseUrl: options.baseUrl,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  });
  const headers = {
    'x-secret-key': options.secretKey,
    'content-type': 'application/json;charset=UTF-8',
  };
  const lookUpHeaders = { 'x-secret-key': options.secretKey };
  const attach: NhnAttachContext = {
    vendorId: id,
    appKey,
    client,
    headers,
    cache: options.fileIds ?? FILE_ID_CACHE,
    now,
  };

  const post = async (
    messages: readonly OutboundMessage[],
    fileIds: readonly (number | string)[],
    signal: AbortSignal,
  ): Promise<BulkSendResult[] | HeraldError> => {
    const response = await client.request({
      method: 'POST',
      path: nhnSendPath(appKey, messages[0]!),
      headers,
      json: nhnSendBody(id, messages, fileIds),
      signal,
    });
    const keys = messages.map((message) => message.messageId);
    return mapNhnSendResults(id, response, keys, now());
  };

  /** One call for messages of one bulk key (content, sender, images): one result per message. */
  const sendMany = async (messages: readonly OutboundMessage[], signal: AbortSignal) => {
    const first = messages[0]!;
    try {
      const images = first.channel === 'mms' ? (first.images ?? []) : [];
      let results = await post(messages, await attachFileIdsOf(attach, images, signal), signal);
      // NHN dropped a file herald still had an id for: upload again, once.
      if (
        results instanceof HeraldError &&
        results.vendorCode === String(NHN_FILE_GONE) &&
        images.length > 0
      ) {
        forgetAttachFiles(attach, images);
        results = await post(messages, await attachFileIdsOf(attach, images, signal), signal);
      }
      if (results instanceof HeraldError) throw results;
      // LMS/MMS results are looked up under /sender/mms (nhn-sms-delivery.ts).
      if (first.channel === 'sms') return results;
      return results.map((result) =>
        result instanceof HeraldError ? result : { vendorMessageId: `${result.vendorMessageId}:mms` },
      );
    } catch (error) {
      throw mapTransportError(id, error, signal);
    }
  };

  return {
    id,
    channels: options.channels ?? NHN_SMS_CHANNELS,
    async send(message, signal) {
      const [result] = await sendMany([message], signal);
      if (result instanceof HeraldError) throw result;
      return result!;
    },
    bulk: { maxMessages: NHN_MAX_RECIPIENTS, groupKey: nhnBulkKey, sendMany },
    receipts: createNhnReceiptLookup(id, appKey, client, lookUpHeaders, now),
    async checkDelivery(vendorMessageId, signal) {
      const path = nhnLookUpPath(appKey, vendorMessageId);
      if (path === undefined) {
        throw new HeraldError('HERALD_VENDOR_REJECTED', `${vendorMessageId} is not an NHN SMS message id`, {
          vendorCode: 'UNKNOWN_MESSAGE_ID',
        });
      }
      try {
        const response = await client.request({ method: 'GET', path, headers: lookUpHeaders, signal });
        const check = mapNhnDelivery(id, response, now());
        if (check instanceof HeraldError) throw check;
        return check;
      } catch (error) {
        throw mapTransportError(id, error, signal);
      }
    },
    close: () => client.close(),
  };
}
