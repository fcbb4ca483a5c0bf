import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { DeliveryCheck, SendReceipt, Vendor } from '../../ports/vendor.ts';
import { sensButtonProblem, toSensButton } from './sens-buttons.ts';
import { HERALD_MESSAGE_ID_HEADER, type SensAccount, SensClient } from './sens-client.ts';
import { deliveryCheckOf } from './sens-delivery-check.ts';
import { malformed } from './sens-sms-vendor.ts';
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
 * SENS AlimTalk (https://api.ncloud-docs.com/docs/sens-alimtalk-send), one recipient per call:
 *
 *   POST /alimtalk/v2/services/{serviceId}/messages
 *   {"plusFriendId":"@channel","templateCode":"ORDER_SHIPPED",
 *    "messages":[{"countryCode":"82","to":"01012345678","content":"<template filled in>",
 *                 "title"?: "...","buttons"?: [...],"useSmsFailover":false}]}
 *   -> 202 {"requestId",...,"messages":[{"messageId","requestStatusCode":"A000"|...,...}]}
 *
 * useSmsFailover is false on every message: herald sends the fallback itself (its weights,
 * breakers and dedup), so SENS' own failover must never send it a second time. The receipt's
 * vendorMessageId is SENS' messageId, which its result look-up (checkDelivery) takes.
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
  return {
    id: options.id,
    channels: options.channels ?? ['alimtalk'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const response = await client.call('POST', `${base}/messages`, signal, {
        json: requestOf(options.id, message),
        headers: { [HERALD_MESSAGE_ID_HEADER]: message.messageId },
      });
      const result = (response.body as { messages?: Record<string, unknown>[] } | undefined)?.messages?.[0];
      const code = result?.requestStatusCode;
      if (result !== undefined && typeof code === 'string' && code !== 'A000') {
        const invalid = RECIPIENT_INVALID_CODES.has(code);
        throw new HeraldError(
          invalid ? 'HERALD_RECIPIENT_INVALID' : 'HERALD_VENDOR_REJECTED',
          `Vendor ${options.id} refused the message (${code})`,
          { retryable: false, vendorCode: code },
        );
      }
      const messageId = result?.messageId;
      if (typeof messageId !== 'string' || messageId === '') throw malformed(options.id, 'send');
      return { vendorMessageId: messageId };
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

/** The send body for one message, or a HeraldError when herald lacks what SENS needs. */
function requestOf(vendorId: string, message: OutboundMessage): unknown {
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
  const buttons = (message.kakao?.buttons ?? []).map(toSensButton);
  const problem = buttons.map(sensButtonProblem).find((found) => found !== undefined);
  if (problem !== undefined) {
    throw new HeraldError('HERALD_VENDOR_REJECTED', `The template's buttons do not fit SENS: ${problem}`, {
      retryable: false,
      vendorCode: 'BUTTON_INVALID',
    });
  }
  return {
    plusFriendId,
    templateCode,
    messages: [
      {
        countryCode: '82',
        to: message.to,
        content: message.body,
        ...(message.kakao?.title ? { title: message.kakao.title } : {}),
        ...(buttons.length > 0 ? { buttons } : {}),
        useSmsFailover: false,
      },
    ],
  };
}
