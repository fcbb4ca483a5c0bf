import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { VmsOptions } from '../../core/domain/vms-options.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { SolapiApi } from './solapi-api.ts';
import { checkSolapiDelivery, createSolapiReceiptLookup } from './solapi-lookup.ts';
import {
  HERALD_MESSAGE_ID_FIELD,
  SOLAPI_BULK_MESSAGES,
  type SolapiMessage,
  type SolapiVoiceOptions,
  sendSolapiBatch,
  sendSolapiMessage,
} from './solapi-send.ts';
import type { SolapiVendorOptions } from './solapi-sms-vendor.ts';

/**
 * VMS through SOLAPI's voice message: a call from the sender number that reads the text out.
 * Wire (solapi-nodejs src/models/base/messages/message.ts, src/models/requests/voice/voiceOption.ts,
 * examples/javascript/common/src/voice/send_voice_message.js):
 *
 *     {to, from, text, type: "VOICE", voiceOptions: {voiceType: "FEMALE"|"MALE", headerMessage?,
 *      tailMessage?, replyRange? 1-9 | counselorNumber?}, customFields}
 *
 * voiceType is required by SOLAPI (herald's default: FEMALE); headerMessage and tailMessage take at
 * most 135 characters each, the tail is only played after a header, and replyRange and
 * counselorNumber exclude each other: all checked at herald's API (check-vms-options.ts). The same
 * send-many/detail call and status codes as SMS (solapi-send.ts, solapi-status.ts); the message list
 * look-up (checkDelivery) answers for any message type, voice included (its stored message has
 * voiceOptions, voiceDuration and voiceReplied: src/models/base/messages/storedMessage.ts).
 */
export function createSolapiVmsVendor(options: SolapiVendorOptions): Vendor {
  const api = new SolapiApi(options);
  return {
    id: options.id,
    channels: options.channels ?? ['vms'],
    send: (message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> =>
      sendSolapiMessage(api, voiceMessage(message), signal),
    bulk: {
      maxMessages: SOLAPI_BULK_MESSAGES,
      // send-many takes any mix of senders, voices and contents in one call.
      groupKey: () => 'any',
      sendMany: (messages, signal) =>
        sendSolapiBatch(api, messages, signal, async (message) => ({ message: voiceMessage(message) })),
    },
    checkDelivery: (vendorMessageId, signal) => checkSolapiDelivery(api, vendorMessageId, signal),
    // The same message list answers for a voice call: its receipt comes the way an SMS's does.
    receipts: createSolapiReceiptLookup(api),
    close: () => api.close(),
  };
}

/** herald's VMS as SOLAPI's VOICE message. */
export function voiceMessage(message: OutboundMessage): SolapiMessage {
  if (!message.from) {
    throw new HeraldError('HERALD_SENDER_NOT_REGISTERED', 'The message has no sender number (from)', {
      retryable: false,
    });
  }
  return {
    to: message.to,
    from: message.from,
    text: message.body,
    type: 'VOICE',
    voiceOptions: solapiVoiceOptions(message.vms ?? {}),
    customFields: { [HERALD_MESSAGE_ID_FIELD]: message.messageId },
  };
}

export function solapiVoiceOptions(vms: VmsOptions): SolapiVoiceOptions {
  return {
    voiceType: vms.voiceType === 'male' ? 'MALE' : 'FEMALE',
    ...(vms.headerMessage !== undefined && { headerMessage: vms.headerMessage }),
    ...(vms.tailMessage !== undefined && { tailMessage: vms.tailMessage }),
    ...(vms.replyRange !== undefined && { replyRange: vms.replyRange }),
    ...(vms.counselorNumber !== undefined && { counselorNumber: vms.counselorNumber }),
  };
}
