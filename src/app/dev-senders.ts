import { createHash } from 'node:crypto';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';

/**
 * The development sender number and Kakao channel: what a newcomer's first `npm start` sends SMS and
 * AlimTalk as, against the simulators. 02-1234-5678 is the number every Korean example uses; the
 * channel `@herald-dev` has an id of each vendor's shape (NHN senderKey 40 hex, SENS plusFriendId,
 * SOLAPI pfId). A real vendor knows neither, so they are useless outside the simulators.
 */
export const DEV_SENDER_NUMBER = '0212345678';
export const DEV_KAKAO_CHANNEL = '@herald-dev';
/** The development e-mail sender: the simulators' own domain, which no real mailbox accepts mail from. */
export const DEV_EMAIL_SENDER = 'no-reply@herald.local';

/** The AlimTalk vendors of issue 10, registered even before the config routes to them. */
const ALIMTALK_VENDOR_IDS = ['nhn-alimtalk', 'sens-alimtalk', 'solapi-alimtalk'];

/**
 * Registers the development sender number and Kakao channel for the client a newcomer calls with
 * (the dev key's, or the bootstrap key's), when simulators run and that client has none: the
 * embedded default must send an SMS from a fresh start, and every request needs a registered
 * sender. A client that has numbers (or channels) keeps them untouched; a deployment without
 * simulators never gets these. Idempotent: API processes starting together write the same lists.
 */
export async function registerDevSenders(
  registry: Pick<
    SenderRegistry,
    | 'listSenderNumbers'
    | 'putSenderNumbers'
    | 'listKakaoChannels'
    | 'putKakaoChannels'
    | 'listEmailSenders'
    | 'putEmailSenders'
  >,
  clientId: string,
  config: RemoteConfigDocument,
  logger: Logger,
): Promise<void> {
  const registered: string[] = [];
  if ((await registry.listSenderNumbers(clientId)).length === 0) {
    await registry.putSenderNumbers(clientId, [
      { number: DEV_SENDER_NUMBER, isDefault: true, label: 'development (simulators only)' },
    ]);
    registered.push('sender number');
  }
  if ((await registry.listKakaoChannels(clientId)).length === 0) {
    await registry.putKakaoChannels(clientId, [
      { name: DEV_KAKAO_CHANNEL, senderIds: devSenderIds(config), isDefault: true },
    ]);
    registered.push('Kakao channel');
  }
  if ((await registry.listEmailSenders(clientId)).length === 0) {
    await registry.putEmailSenders(clientId, [
      { address: DEV_EMAIL_SENDER, name: 'herald', isDefault: true },
    ]);
    registered.push('e-mail sender');
  }
  if (registered.length === 0) return;
  logger.info(
    { clientId },
    `simulators run: registered the development ${registered.join(' and ')} for client "${clientId}" ` +
      '(docs/senders.md; replace with PUT /v1/sender-numbers, PUT /v1/kakao-channels and PUT /v1/email-senders)',
  );
}

/** The dev channel's id at every AlimTalk vendor the config routes to or defines, in that vendor's shape. */
export function devSenderIds(config: RemoteConfigDocument): Record<string, string> {
  const vendors = new Set([
    ...ALIMTALK_VENDOR_IDS,
    ...config.routing.alimtalk.map((route) => route.vendor),
    ...Object.entries(config.vendors)
      .filter(([, settings]) => settings.kind?.endsWith('-alimtalk'))
      .map(([id]) => id),
  ]);
  return Object.fromEntries(
    [...vendors].map((id) => [id, devSenderIdFor(config.vendors[id]?.kind ?? kindFromId(id))]),
  );
}

function kindFromId(id: string): string | undefined {
  return ALIMTALK_VENDOR_IDS.includes(id) ? id : undefined;
}

function devSenderIdFor(kind: string | undefined): string {
  switch (kind) {
    case 'nhn-alimtalk':
      // NHN's senderKey is 40 hex characters.
      return createHash('sha1').update(DEV_KAKAO_CHANNEL).digest('hex');
    case 'solapi-alimtalk':
      // SOLAPI's pfId: KA01PF followed by the registration's own characters.
      return 'KA01PF000000000000HERALDDEV';
    default:
      // SENS takes the channel's search id itself as plusFriendId; so does the generic simulator.
      return DEV_KAKAO_CHANNEL;
  }
}
