import { delayUnlessShutdown, delayUntil } from '../shutdown-delay.ts';
import type { DeliveryResult } from '../text/delivery-results.ts';
import type { TextContractContext } from '../text/text-contract.ts';
import { storedMessage } from './solapi-lookup-routes.ts';

/**
 * SOLAPI's message report webhook ("단일 메시지 리포트"; the official SDK's example
 * solapi-nodejs examples/javascript/webhooks/index.js and developers.solapi.com/references/webhook):
 * a POST to the URL set in SOLAPI's console, JSON body an array of message objects shaped like the
 * message list's entries (messageId, groupId, type, to, from, statusCode, reason, networkName,
 * networkCode, dateReceived, customFields...). The receiver must answer 200; otherwise SOLAPI calls
 * again at intervals, five calls in all. SOLAPI does not sign the call.
 *
 * The simulator reports one send call's messages in one POST when their results are ready (the
 * text settings' resultDelayMs), retrying on anything but a 2xx, sooner than SOLAPI does (a test
 * should not wait minutes). A message is counted in the receipt tally when a report of it is taken.
 */
const ATTEMPTS = 5;
const FIRST_RETRY_MS = 200;

export function scheduleSolapiReports(
  vendorId: string,
  recorded: readonly (readonly [messageId: string, result: DeliveryResult])[],
  context: Pick<TextContractContext, 'text' | 'shutdown'>,
): void {
  const url = context.text.webhooks.get(vendorId);
  if (url === undefined || recorded.length === 0) return;
  const readyAt = Math.max(...recorded.map(([, result]) => result.readyAt));
  void report(vendorId, url, recorded, readyAt, context).catch(() => {
    // Shut down while waiting: a vendor that goes away drops its pending reports.
  });
}

async function report(
  vendorId: string,
  url: string,
  recorded: readonly (readonly [string, DeliveryResult])[],
  readyAt: number,
  context: Pick<TextContractContext, 'text' | 'shutdown'>,
): Promise<void> {
  const { text, shutdown } = context;
  // Not before every result is known by the simulator's clock: SOLAPI reports final results only.
  await delayUntil(readyAt, text.now, shutdown);
  for (let attempt = 1; attempt <= ATTEMPTS && !shutdown.aborted; attempt += 1) {
    // Rendered afresh each attempt without counting: the tally counts what a receiver took.
    const body = recorded.map(([messageId, result]) =>
      storedMessage(vendorId, messageId, result, text, false),
    );
    const taken = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([shutdown, AbortSignal.timeout(10_000)]),
    }).then(
      (response) => {
        // The answer's body is not read: dropped so that its connection is free at once.
        response.body?.cancel().catch(() => {});
        return response.ok;
      },
      () => false,
    );
    if (taken) {
      for (const [messageId, result] of recorded) storedMessage(vendorId, messageId, result, text, true);
      return;
    }
    if (attempt < ATTEMPTS) await delayUnlessShutdown(FIRST_RETRY_MS * 2 ** (attempt - 1), shutdown);
  }
}
