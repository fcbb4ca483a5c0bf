import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { DeliveryCheck, SendReceipt, Vendor } from '../../ports/vendor.ts';
import { sensButtonProblem, toSensButton } from './sens-buttons.ts';
import { HERALD_MESSAGE_ID_HEADER, type SensAccount, SensClient } from './sens-client.ts';
import { deliveryCheckOf } from './sens-delivery-check.ts';
import { malformed, SENS_MAX_MESSAGES } from './sens-sms-vendor.ts';
import { sensTemplateApi } from './sens-templates.ts';

export interface SensAlimtalkVendorOptions {
  readonly id: string;
  readonly baseUrl: string;
  readonly account: SensAccount;
  readonly channels?: readonly Channel[];
  readonly now?: () => number;
}

/** Kakao's codes for a recipient that does not exist (3008 phone number error). */
const RECIPIENT_INVALID_CODES: ReadonlySet<string> = new Set(['3008']);

/**
 * SENS AlimTalk (https://api.ncloud-docs.com/docs/sens-alimtalk-send), one recipient per call, or
 * (`bulk`, the batch lane) up to 100 of one channel and template, each with its own content and
 * buttons:
 *
 *   POST /alimtalk/v2/services/{serviceId}/messages
 *   {"plusFriendId":"@channel","templateCode":"ORDER_SHIPPED",
 *    "messages":[{"countryCode":"82","to":"01012345678","content":"<template filled in>",
 *                 "title"?: "...","buttons"?: [...],"useSmsFailover":false}]}
 *   -> 202 {"requestId",...,"messages":[{"messageId","requestStatusCode":"A000"|...,...}]}
 *
 * SENS answers each message in its own `messages[i]` (vendor-contracts.md §4.C): one refused by its
 * requestStatusCode fails alone while the others go; a request SENS cannot take at all (a malformed
 * number, content off the template) is a 400 for the whole call, which the lane sends again one
 * message a call so only the culprit fails.
 *
 * useSmsFailover is false on every message: herald sends the fallback itself (its weights,
 * breakers and dedup), so SENS' own failover must never send it a second time. Each receipt's
 * vendorMessageId is that message's SENS messageId, which its result look-up (checkDelivery) takes.
 */
export function createSensAlimtalkVendor(options: SensAlimtalkVendorOptions): Vendor {
  const client = new SensClient({
    vendorId: options.id,
    baseUrl: options.baseUrl,
    account: options.account,
    ...(options.now ? { now: options.now } : {}),
  });
  const now = options.now ?? Date.now;
  const base = client.servicePath('alimtalk');
  /**
   * One call for messages of one channel and template: each its own `messages[]` entry, SENS'
   * answer `messages[i]` its result (SENS answers them in the order sent), the herald message ids
   * in the x-herald-message-id header in the same order.
   */
  const sendMany = async (messages: readonly OutboundMessage[], signal: AbortSignal) => {
    const response = await client.call('POST', `${base}/messages`, signal, {
      json: requestOf(options.id, messages),
      headers: { [HERALD_MESSAGE_ID_HEADER]: messages.map((message) => message.messageId).join(',') },
    });
    const results = (response.body as { messages?: Record<string, unknown>[] } | undefined)?.messages;
    return messages.map((_, index) => resultOf(options.id, results?.[index]));
  };

  return {
    id: options.id,
    channels: options.channels ?? ['alimtalk'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const [result] = await sendMany([message], signal);
      if (result instanceof HeraldError) throw result;
      return result!;
    },
    bulk: {
      maxMessages: SENS_MAX_MESSAGES,
      groupKey: (message) =>
        JSON.stringify([
          message.kakao?.senderIds[options.id] ?? '',
          message.kakao?.templateCodes[options.id] ?? '',
        ]),
      sendMany,
    },
    async checkDelivery(vendorMessageId: string, signal: AbortSignal): Promise<DeliveryCheck> {
      const path = `${base}/messages/${encodeURIComponent(vendorMessageId)}`;
      const response = await client.call('GET', path, signal);
      return deliveryCheckOf(response.body, now());
    },
    templates: sensTemplateApi(client),
    close: () => client.close(),
  };
}

/** One message's entry in SENS' answer -> its receipt (SENS' messageId) or its own refusal. */
function resultOf(vendorId: string, result: Record<string, unknown> | undefined): SendReceipt | HeraldError {
  const code = result?.requestStatusCode;
  if (result !== undefined && typeof code === 'string' && code !== 'A000') {
    const invalid = RECIPIENT_INVALID_CODES.has(code);
    return new HeraldError(
      invalid ? 'HERALD_RECIPIENT_INVALID' : 'HERALD_VENDOR_REJECTED',
      `Vendor ${vendorId} refused the message (${code})`,
      { retryable: false, vendorCode: code },
    );
  }
  const messageId = result?.messageId;
  if (typeof messageId !== 'string' || messageId === '') return malformed(vendorId, 'send');
  return { vendorMessageId: messageId };
}

/**
 * The send body for messages of one channel and template (the first one's plusFriendId and
 * templateCode, every one's own entry), or a HeraldError when herald lacks what SENS needs.
 */
function requestOf(vendorId: string, messages: readonly OutboundMessage[]): unknown {
  const message = messages[0]!;
  const plusFriendId = message.kakao?.senderIds[vendorId];
  if (!plusFriendId) {
    throw new HeraldError(
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
      `No Kakao channel is registered at ${vendorId}`,
      {
        retryable: false,
      },
    );
  }
  const templateCode = message.kakao?.templateCodes[vendorId];
  if (!templateCode) {
    throw new HeraldError(
      'HERALD_TEMPLATE_NOT_APPROVED',
      `The template has no approved code at ${vendorId}`,
      {
        retryable: false,
      },
    );
  }
  return { plusFriendId, templateCode, messages: messages.map(messageOf) };
}

function messageOf(message: OutboundMessage) {
  const buttons = (message.kakao?.buttons ?? []).map(toSensButton);
  const problem = buttons.map(sensButtonProblem).find((found) => found !== undefined);
  if (problem !== undefined) {
    // SENS asks more of a button than Kakao does (a WL button needs linkPc too): the other AlimTalk
    // vendors can still send it, so a retry goes to them (the router avoids a vendor that failed).
    throw new HeraldError('HERALD_VENDOR_REJECTED', `The template's buttons do not fit SENS: ${problem}`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'BUTTON_INVALID',
    });
  }
  return {
    countryCode: '82',
    to: message.to,
    content: message.body,
    ...(message.kakao?.title ? { title: message.kakao.title } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
    useSmsFailover: false,
  };
}
