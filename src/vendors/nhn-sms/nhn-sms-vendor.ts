import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { FILE_ID_CACHE, type FileIdCache } from '../file-id-cache.ts';
import { JsonHttpClient } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { attachFileIdsOf, forgetAttachFiles, type NhnAttachContext } from './nhn-sms-attachments.ts';
import { NHN_FILE_GONE } from './nhn-sms-codes.ts';
import { nhnSendBody, nhnSendPath } from './nhn-sms-request.ts';
import { mapNhnSendAnswer } from './nhn-sms-response.ts';

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
 * NHN's ad-sms / ad-mms senders, MMS images through its attach-file API. One recipient per call.
 * The receipt's vendorMessageId is `${requestId}:${recipientSeq}` (NHN's look-up keys).
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
  const attach: NhnAttachContext = {
    vendorId: id,
    appKey,
    client,
    headers,
    cache: options.fileIds ?? FILE_ID_CACHE,
    now,
  };

  const post = async (
    message: OutboundMessage,
    fileIds: readonly (number | string)[],
    signal: AbortSignal,
  ): Promise<SendReceipt | HeraldError> => {
    const response = await client.request({
      method: 'POST',
      path: nhnSendPath(appKey, message),
      headers,
      json: nhnSendBody(id, message, fileIds),
      signal,
    });
    return mapNhnSendAnswer(id, response, now());
  };

  return {
    id,
    channels: options.channels ?? NHN_SMS_CHANNELS,
    async send(message, signal) {
      try {
        const images = message.channel === 'mms' ? (message.images ?? []) : [];
        let result = await post(message, await attachFileIdsOf(attach, images, signal), signal);
        // NHN dropped a file herald still had an id for: upload again, once.
        if (
          result instanceof HeraldError &&
          result.vendorCode === String(NHN_FILE_GONE) &&
          images.length > 0
        ) {
          forgetAttachFiles(attach, images);
          result = await post(message, await attachFileIdsOf(attach, images, signal), signal);
        }
        if (result instanceof HeraldError) throw result;
        return result;
      } catch (error) {
        throw mapTransportError(id, error, signal);
      }
    },
    close: () => client.close(),
  };
}
