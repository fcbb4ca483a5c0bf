import { patchReceiptMix, type ReceiptMix, SIM_NETWORKS } from './receipt-mix.ts';
import type { TextSimulation } from './text-simulation.ts';

/** `herald sim`'s receipt flags, as parseArgs hands them over (strings, absent when not given). */
export interface ReceiptFlagValues {
  readonly 'carrier-mix'?: string | undefined;
  readonly 'undelivered-share'?: string | undefined;
  readonly 'result-delay-ms'?: string | undefined;
  readonly 'solapi-webhook-url'?: string | undefined;
  readonly 'ses-notification-url'?: string | undefined;
}

export const RECEIPT_FLAGS = {
  'carrier-mix': { type: 'string' },
  'undelivered-share': { type: 'string' },
  'result-delay-ms': { type: 'string' },
  'solapi-webhook-url': { type: 'string' },
  'ses-notification-url': { type: 'string' },
} as const;

export const RECEIPT_USAGE = `  --carrier-mix <mix>    networks of the text recipients, e.g. SKT=45,KT=30,LGU+=20,MVNO=5 (the default)
  --undelivered-share <0..1>  share of accepted SMS/LMS/MMS the carrier does not deliver (default 0.03)
  --result-delay-ms <ms> how long text results stay pending at the vendors' look-ups (default 0)
  --solapi-webhook-url <url>  where solapi-sms POSTs its message reports (default: none)
  --ses-notification-url <url>  where ses POSTs its SNS delivery and bounce notifications, herald's
                         /ses/notifications (default: none)`;

/**
 * Applies the receipt flags to the text simulation (what `PUT /_sim/text/settings` and
 * `PUT /_sim/vendors/solapi-sms/webhook` or `/_sim/vendors/ses/webhook` change at run time). Throws an Error saying which flag is
 * wrong and why.
 */
export function applyReceiptFlags(values: ReceiptFlagValues, text: TextSimulation): void {
  const patch: Record<string, unknown> = {};
  if (values['carrier-mix'] !== undefined) patch.carrierMix = carrierMixOf(values['carrier-mix']);
  if (values['undelivered-share'] !== undefined) patch.undeliveredShare = Number(values['undelivered-share']);
  const mix: ReceiptMix | string = patchReceiptMix(text.results.mix, patch);
  if (typeof mix === 'string') throw new Error(`--carrier-mix / --undelivered-share: ${mix}`);
  text.results.mix = mix;
  const delay = values['result-delay-ms'];
  if (delay !== undefined) {
    const ms = Number(delay);
    if (delay.trim() === '' || !Number.isFinite(ms) || ms < 0) {
      throw new Error(`--result-delay-ms must be a number >= 0, got "${delay}"`);
    }
    text.results.resultDelayMs = ms;
  }
  setWebhook(text, 'solapi-webhook-url', 'solapi-sms', values['solapi-webhook-url']);
  setWebhook(text, 'ses-notification-url', 'ses', values['ses-notification-url']);
}

function setWebhook(text: TextSimulation, flag: string, vendorId: string, url: string | undefined): void {
  if (url === undefined) return;
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
    throw new Error(`--${flag} must be an http(s) URL, got "${url}"`);
  }
  text.setStandingWebhook(vendorId, url);
}

/** `SKT=45,KT=30` -> {SKT: 45, KT: 30}; patchReceiptMix checks names and weights. */
function carrierMixOf(text: string): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name = '', weight = ''] = part.split('=');
    if (!(SIM_NETWORKS as readonly string[]).includes(name.trim()) || weight.trim() === '') {
      throw new Error(`--carrier-mix takes ${SIM_NETWORKS.join(', ')} as NAME=weight, got "${part}"`);
    }
    mix[name.trim()] = Number(weight);
  }
  return mix;
}
