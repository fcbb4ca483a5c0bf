import { isHeraldError } from '../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import { createFcmVendor } from '../../src/vendors/fcm/fcm-vendor.ts';
import { parseServiceAccount } from '../../src/vendors/fcm/service-account.ts';
import { type BenchPush, PER_MESSAGE_TIMEOUT_MS, PUSH_BODY, PUSH_TITLE } from './push-bench-messages.ts';
import type { BenchSender, SenderRunConfig } from './push-sender-protocol.ts';
import type { SendTally } from './send-tally.ts';

/**
 * herald's FCM adapter as herald's send pool drives it: `inFlight` sends outstanding at all times
 * (a new one starts as soon as one ends), each with its own time limit. The adapter does its own
 * OAuth grant against the simulator's token endpoint and spreads the streams over its session
 * pool. A message's latency is from its send() call to its outcome.
 */
export function createHeraldFcmSender(config: SenderRunConfig): BenchSender {
  const vendor = createFcmVendor({
    id: config.vendorId,
    // As herald loads a key file: the JSON text through its own parser.
    serviceAccount: parseServiceAccount(JSON.stringify(config.account), 'the bench service account'),
    baseUrl: `${config.simulatorUrl}/${config.vendorId}`,
    tokenUrl: config.account.token_uri,
  });
  return {
    prepare(pushes, tally) {
      const messages = pushes.map(toOutbound);
      return () => sendWindowed(messages, config.inFlight, tally);
    },
    // The pool counts its own sessions; the bench reads the simulator's count for both senders.
    sessionsOpened: () => undefined,
    close: () => vendor.close(),
  };

  async function sendWindowed(
    messages: OutboundMessage[],
    inFlight: number,
    tally: SendTally,
  ): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < messages.length) {
        const message = messages[next++]!;
        const started = performance.now();
        try {
          await vendor.send(message, AbortSignal.timeout(PER_MESSAGE_TIMEOUT_MS));
          tally.succeeded(performance.now() - started);
        } catch (error) {
          tally.failed(
            isHeraldError(error) ? error.code : String((error as Error)?.name),
            performance.now() - started,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, messages.length) }, lane));
  }
}

/** What herald's worker hands a push adapter: the same title, body and token as firebase-admin's messages. */
function toOutbound(push: BenchPush): OutboundMessage {
  const expiresAt = Date.now() + 3_600_000;
  return {
    messageId: push.messageId,
    idempotencyKey: push.messageId,
    channel: 'push',
    to: push.token,
    subject: PUSH_TITLE,
    body: PUSH_BODY,
    attempt: 1,
    expiresAt,
    push: { provider: 'fcm', title: PUSH_TITLE, options: {}, expiresAt },
  };
}
