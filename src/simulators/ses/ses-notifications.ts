import { delayUnlessShutdown, delayUntil } from '../shutdown-delay.ts';
import { receiptFateOf } from '../text/receipt-mix.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import { SES_SIMULATOR_VENDOR } from './ses-credentials.ts';
import {
  type SnsSigner,
  sesBounceNotification,
  sesDeliveryNotification,
  signedSnsNotification,
} from './sns-notifier.ts';

/** One message SES accepted: its SES MessageId (what herald keeps), herald's id and the recipients. */
export interface AcceptedEmail {
  readonly sesMessageId: string;
  readonly heraldMessageId: string;
  readonly to: readonly string[];
}

export interface SesNotificationContext {
  /**
   * The notification URL (`webhooks` under `ses`: `PUT /_sim/vendors/ses/webhook`, `herald sim
   * --ses-notification-url`), the result delay and undelivered share (`results`), and the tally.
   * The text vendors' settings, not SES' own: a drill sets "how long until a vendor knows, and how
   * much is lost" once for every channel, and each message's fate is decided the same way.
   */
  readonly text: TextSimulation;
  /** What SNS signs with; absent, nothing is posted (no credentials directory: hand-built tests). */
  readonly signer: SnsSigner | undefined;
  readonly shutdown: AbortSignal;
}

const ATTEMPTS = 4;
const FIRST_RETRY_MS = 200;

/**
 * SES' delivery and bounce notifications as SNS delivers them to an HTTPS subscription ("Amazon
 * SNS message delivery retries", "HTTP/HTTPS headers"): one POST per message, the JSON of an SNS
 * Notification as a `text/plain; charset=UTF-8` body, `x-amz-sns-message-type`,
 * `x-amz-sns-message-id` and `x-amz-sns-topic-arn` headers; anything but a 2xx is retried with
 * backoff (SNS' default HTTP delivery policy: 3 retries, 20 s apart; here 3 retries 0.2, 0.4 and
 * 0.8 s apart, so a test does not wait). Once the text settings' result delay
 * has passed, the message is delivered or bounced (Permanent, General, 5.1.1) by its seeded fate
 * (receipt-mix.ts, keyed by herald's id so a rerun has the same fates), and counted in the receipt
 * tally (carrier unknown: e-mail has none) only when the receiver took it.
 */
export function scheduleSesNotification(accepted: AcceptedEmail, context: SesNotificationContext): void {
  const url = context.text.webhooks.get(SES_SIMULATOR_VENDOR);
  if (url === undefined || context.signer === undefined) return;
  const fate = receiptFateOf(`${SES_SIMULATOR_VENDOR}:${accepted.heraldMessageId}`, context.text.results.mix);
  const readyAt = context.text.now() + context.text.results.resultDelayMs;
  void notify(url, accepted, fate.delivered, readyAt, context).catch(() => {
    // Shut down while waiting: a simulator that goes away drops its pending notifications.
  });
}

async function notify(
  url: string,
  accepted: AcceptedEmail,
  delivered: boolean,
  readyAt: number,
  context: SesNotificationContext,
): Promise<void> {
  const { text, shutdown } = context;
  await delayUntil(readyAt, text.now, shutdown);
  const at = new Date(text.now());
  const message = delivered
    ? sesDeliveryNotification(accepted.sesMessageId, at)
    : sesBounceNotification(accepted.sesMessageId, accepted.to[0] ?? '', at);
  // Signed once: SNS retries the same message (same MessageId), it does not make a new one.
  const notification = signedSnsNotification(context.signer!, message, at);
  for (let attempt = 1; attempt <= ATTEMPTS && !shutdown.aborted; attempt += 1) {
    const taken = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': notification.Type,
        'x-amz-sns-message-id': notification.MessageId,
        'x-amz-sns-topic-arn': notification.TopicArn,
      },
      body: JSON.stringify(notification),
      signal: AbortSignal.any([shutdown, AbortSignal.timeout(10_000)]),
    }).then(
      async (response) => {
        await response.body?.cancel();
        return response.ok;
      },
      () => false,
    );
    if (taken) {
      text.results.tally.count(SES_SIMULATOR_VENDOR, accepted.sesMessageId, delivered, 'unknown');
      return;
    }
    if (attempt < ATTEMPTS) await delayUnlessShutdown(FIRST_RETRY_MS * 2 ** (attempt - 1), shutdown);
  }
}
