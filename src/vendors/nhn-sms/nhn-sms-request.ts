import { cutToEucKrBytes } from '../../core/content/euc-kr.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { Lane } from '../../core/domain/lane.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';

/**
 * NHN Cloud SMS v3.0 send calls (SMSDOC `api-guide.md` v3.0; vendor-contracts.md §4.A):
 *
 *   POST /sms/v3.0/appKeys/{appKey}/sender/sms      (SMS)
 *   POST /sms/v3.0/appKeys/{appKey}/sender/mms      (LMS; MMS with attachFileIdList)
 *   POST /sms/v3.0/appKeys/{appKey}/sender/ad-sms   (advertising SMS)
 *   POST /sms/v3.0/appKeys/{appKey}/sender/ad-mms   (advertising LMS/MMS)
 *   X-Secret-Key: <secret key>
 *   Content-Type: application/json;charset=UTF-8
 *
 *   {"body":"...","sendNo":"15446859","title":"...",             (title: LMS/MMS only, required)
 *    "senderGroupingKey":"herald-realtime",                       (the lane)
 *    "attachFileIdList":[123],                                    (MMS only)
 *    "recipientList":[{"recipientNo":"01000000000","recipientGroupingKey":"<herald message id>"}]}
 *
 * herald sends one recipient per call on the realtime lane; the batch and ad lanes put up to 1,000
 * messages with the same content and sender in one call's recipientList (nhnBulkKey). Each message
 * id travels as its recipient's `recipientGroupingKey` (up to 100 characters, returned in results
 * and look-ups), which is how a result is matched back to its message. The call's
 * `senderGroupingKey` names the lane: NHN's result list filters by it, so a realtime look-up
 * searching the seconds of a batch flood reads the realtime lane's rows only. NHN SMS has no idempotency
 * header (only its AlimTalk API does), so a retry after a lost answer may send twice: herald's
 * dedup guards redeliveries, not that window.
 */
export const NHN_SMS_API = '/sms/v3.0/appKeys';

/** LMS/MMS subject limit, EUC-KR bytes (SMSDOC "주의 사항": MMS 제목 표준 40바이트). */
export const TITLE_MAX_BYTES = 40;

export interface NhnRecipient {
  readonly recipientNo: string;
  readonly recipientGroupingKey: string;
}

export interface NhnSendBody {
  readonly body: string;
  readonly sendNo: string;
  readonly title?: string;
  readonly senderGroupingKey?: string;
  readonly attachFileIdList?: readonly (number | string)[];
  readonly recipientList: readonly NhnRecipient[];
}

/** The senderGroupingKey of a lane's sends (SMSDOC: at most 100 characters), and of its searches. */
export function nhnSenderGroupingKey(lane: Lane): string {
  return `herald-${lane}`;
}

/** The path of a message's send call: SMS or MMS (LMS too), the ad variant on the ad lane. */
export function nhnSendPath(appKey: string, message: OutboundMessage): string {
  const kind = message.channel === 'sms' ? 'sms' : 'mms';
  const ad = message.lane === 'ad' ? 'ad-' : '';
  return `${NHN_SMS_API}/${encodeURIComponent(appKey)}/sender/${ad}${kind}`;
}

/** The attach-file upload path (SMSDOC `api-guide.md` "첨부 파일 업로드"). */
export function nhnUploadPath(appKey: string): string {
  return `${NHN_SMS_API}/${encodeURIComponent(appKey)}/attachfile/binaryUpload`;
}

/** Most recipients one send call takes (-2016 beyond). */
export const NHN_MAX_RECIPIENTS = 1_000;

/**
 * Messages with the same key can share one call: NHN takes one body, sendNo, title, set of
 * images and senderGroupingKey (the lane) for all the recipients of a call, on one path (type and
 * ad lane).
 */
export function nhnBulkKey(message: OutboundMessage): string {
  const images = message.channel === 'mms' ? (message.images ?? []).map((image) => image.sha256) : [];
  const title = message.channel === 'sms' ? '' : titleOf(message);
  const lane = message.lane ?? '';
  return JSON.stringify([nhnSendPath('', message), lane, message.from ?? '', title, message.body, images]);
}

/**
 * The send body for messages of one bulk key (one message on the realtime lane): the first one's
 * content, every one's recipient. `from` is required: NHN refuses a missing or unregistered sendNo
 * (-2312), so herald fails it here, for good, without a call. LMS/MMS need a title: the message's
 * subject, else the first line of the body cut to 40 EUC-KR bytes (what a handset shows as the
 * subject anyway).
 */
export function nhnSendBody(
  vendorId: string,
  messages: OutboundMessage | readonly OutboundMessage[],
  attachFileIds: readonly (number | string)[] = [],
): NhnSendBody {
  const all = Array.isArray(messages) ? messages : [messages as OutboundMessage];
  const message = all[0]!;
  if (message.from === undefined || message.from === '') {
    throw new HeraldError(
      'HERALD_SENDER_NOT_REGISTERED',
      `NHN SMS (${vendorId}) needs a sender number (sendNo) and the message has none`,
      { field: 'from' },
    );
  }
  const recipientList = all.map((each) => ({ recipientNo: each.to, recipientGroupingKey: each.messageId }));
  const grouping =
    message.lane === undefined ? {} : { senderGroupingKey: nhnSenderGroupingKey(message.lane) };
  if (message.channel === 'sms')
    return { body: message.body, sendNo: message.from, ...grouping, recipientList };
  return {
    body: message.body,
    sendNo: message.from,
    title: titleOf(message),
    ...grouping,
    ...(message.channel === 'mms' && attachFileIds.length > 0 ? { attachFileIdList: attachFileIds } : {}),
    recipientList,
  };
}

function titleOf(message: OutboundMessage): string {
  if (message.subject !== undefined && message.subject.trim() !== '') return message.subject;
  const firstLine = message.body.trim().split('\n', 1)[0] ?? '';
  return cutToEucKrBytes(firstLine.trim(), TITLE_MAX_BYTES) || '-';
}
