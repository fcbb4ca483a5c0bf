import type { SimulatorServer } from '../simulators/simulator-server.ts';

/**
 * Points the in-process simulator's push-style receipts at this herald, once its API listens (the
 * port is known only then: 0 in tests), as an operator points SNS and SOLAPI's console at a
 * deployment: SES' SNS notifications at `/ses/notifications`, and SOLAPI's message reports at
 * `/v1/receipts/solapi` when a SOLAPI webhook secret is set (without one that route is not served).
 * A URL set already (a test, `PUT /_sim/vendors/:id/webhook`) is left alone.
 */
export function pointSimulatorReceiptsAt(
  simulator: Pick<SimulatorServer, 'text'>,
  apiUrl: string,
  solapiWebhookSecret: string | undefined,
): void {
  const base = reachable(apiUrl);
  const urls: [string, string][] = [['ses', `${base}/ses/notifications`]];
  if (solapiWebhookSecret !== undefined) {
    const report = `${base}/v1/receipts/solapi?token=${encodeURIComponent(solapiWebhookSecret)}`;
    urls.push(['solapi-sms', report], ['solapi-vms', report]);
  }
  for (const [vendorId, url] of urls) {
    if (!simulator.text.webhooks.has(vendorId)) simulator.text.setStandingWebhook(vendorId, url);
  }
}

/** The listening URL with a wildcard address (0.0.0.0, ::) replaced by loopback, which it includes. */
function reachable(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}
