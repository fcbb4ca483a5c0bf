import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging, type Message } from 'firebase-admin/messaging';
import { simulatorGrantCredential } from './firebase-admin-credential.ts';
import { redirectFirebaseAdmin } from './firebase-admin-redirect.ts';
import { type BenchPush, PUSH_BODY, PUSH_TITLE } from './push-bench-messages.ts';
import type { BenchSender, SenderRunConfig } from './push-sender-protocol.ts';
import type { SendTally } from './send-tally.ts';

/**
 * firebase-admin as its users send a large audience today: `sendEach` in batches of 500 (its
 * maximum), one batch after the other, each awaited (the SDK starts all 500 requests at once and
 * settles them together). A message's latency is what its caller sees: from handing the batch to
 * sendEach until sendEach returns, when every result of the batch is known at once.
 */
export function createFirebaseAdminSender(config: SenderRunConfig): BenchSender {
  let streams: number[] = [];
  const redirect = redirectFirebaseAdmin({
    target: config.simulatorUrl,
    pathPrefix: `/${config.vendorId}`,
    onStreamClosed: (ms) => streams.push(ms),
  });
  const app = initializeApp(
    { projectId: config.account.project_id, credential: simulatorGrantCredential(config.account) },
    `bench-${process.pid}`,
  );
  const messaging = getMessaging(app);
  return {
    prepare(pushes, tally) {
      const messages = pushes.map(toMessage);
      return async () => {
        for (let offset = 0; offset < messages.length; offset += config.inFlight) {
          await sendBatch(messages.slice(offset, offset + config.inFlight), tally);
        }
      };
    },
    sessionsOpened: () => redirect.sessionsOpened(),
    takeStreamLatencies() {
      const taken = Float64Array.from(streams);
      streams = [];
      return taken;
    },
    async close() {
      await deleteApp(app);
      redirect.restore();
    },
  };

  async function sendBatch(batch: Message[], tally: SendTally): Promise<void> {
    const started = performance.now();
    try {
      const answer = await messaging.sendEach(batch);
      const ms = performance.now() - started;
      for (const response of answer.responses) {
        if (response.success) tally.succeeded(ms);
        else tally.failed(response.error?.code ?? 'unknown', ms);
      }
    } catch (error) {
      // The whole call failed (it does not, short of a bad argument): every message of it failed.
      const ms = performance.now() - started;
      const code = (error as { code?: string }).code ?? 'sendEach-threw';
      for (let i = 0; i < batch.length; i++) tally.failed(code, ms);
    }
  }
}

/** The same content herald sends: title, body, and herald's message id in data (what the simulator counts). */
function toMessage(push: BenchPush): Message {
  return {
    token: push.token,
    notification: { title: PUSH_TITLE, body: PUSH_BODY },
    data: { herald_message_id: push.messageId },
  };
}
