import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { SolapiApi } from './solapi-api.ts';
import { toSolapiButton, variableKey } from './solapi-kakao-buttons.ts';
import { checkSolapiDelivery } from './solapi-lookup.ts';
import {
  HERALD_MESSAGE_ID_FIELD,
  SOLAPI_BULK_MESSAGES,
  type SolapiMessage,
  sendSolapiBatch,
  sendSolapiMessage,
} from './solapi-send.ts';
import type { SolapiVendorOptions } from './solapi-sms-vendor.ts';
import { solapiTemplateApi } from './solapi-templates.ts';

/**
 * AlimTalk through SOLAPI: type ATA with kakaoOptions {pfId, templateId, variables "#{name}",
 * buttons, disableSms: true} (solapi-nodejs src/models/base/kakao/kakaoOption.ts; examples
 * kakao/send/send_alimtalk.js). disableSms is always set: herald sends the fallback SMS/LMS itself
 * (weights, breakers, dedup, history), so an account whose SOLAPI fallback is on can never send it
 * a second time. What Kakao did is learnt from the message list look-up (checkDelivery), keyed by
 * the message id SOLAPI gave it. The batch lane sends up to 1,000 a send-many call (`bulk`), each
 * message's receipt its own SOLAPI messageId, each refusal its own. AlimTalk carries no ads: Kakao refuses them, and so does this
 * adapter before a call.
 */
export function createSolapiAlimtalkVendor(options: SolapiVendorOptions): Vendor {
  const api = new SolapiApi(options);
  return {
    id: options.id,
    channels: options.channels ?? ['alimtalk'],
    send: async (message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> =>
      sendSolapiMessage(api, alimtalkMessage(options.id, message), signal),
    bulk: {
      maxMessages: SOLAPI_BULK_MESSAGES,
      // send-many takes any mix of channels, templates and contents in one call.
      groupKey: () => 'any',
      sendMany: (messages, signal) =>
        sendSolapiBatch(api, messages, signal, async (message) => ({
          message: alimtalkMessage(options.id, message),
        })),
    },
    checkDelivery: (vendorMessageId, signal) => checkSolapiDelivery(api, vendorMessageId, signal),
    templates: solapiTemplateApi(api),
    close: () => api.close(),
  };
}

export function alimtalkMessage(vendorId: string, message: OutboundMessage): SolapiMessage {
  if (message.lane === 'ad') {
    throw new HeraldError('HERALD_AD_NOT_ALLOWED_ON_CHANNEL', 'AlimTalk carries no ads', {
      retryable: false,
    });
  }
  const pfId = message.kakao?.senderIds[vendorId];
  if (!pfId) {
    throw new HeraldError(
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
      `The message has no Kakao channel (pfId) for vendor ${vendorId}`,
      { retryable: false },
    );
  }
  const templateId = message.kakao?.templateCodes[vendorId];
  if (!templateId) {
    throw new HeraldError('HERALD_TEMPLATE_NOT_APPROVED', `The template has no id at vendor ${vendorId}`, {
      retryable: false,
    });
  }
  const kakao = message.kakao!;
  const variables = Object.fromEntries(
    Object.entries(kakao.variables).map(([name, value]) => [variableKey(name), value]),
  );
  return {
    to: message.to,
    ...(message.from ? { from: message.from } : {}),
    type: 'ATA',
    kakaoOptions: {
      pfId,
      templateId,
      variables,
      ...(kakao.buttons.length > 0 ? { buttons: kakao.buttons.map(toSolapiButton) } : {}),
      disableSms: true,
    },
    customFields: { [HERALD_MESSAGE_ID_FIELD]: message.messageId },
  };
}
