import { DeliveryResults } from './delivery-results.ts';
import { KakaoAudience } from './kakao-audience.ts';
import { LookUpThrottle } from './lookup-throttle.ts';
import type { TextTrust } from './text-trust.ts';
import { UploadedFiles } from './uploaded-files.ts';
import { VendorAllowList } from './vendor-allow-list.ts';
import { VendorTemplates } from './vendor-templates.ts';

/**
 * The Korean text vendors' side of the simulator, apart from each vendor's behaviour (latency,
 * errors, hangs: SimulatedVendor): whom they trust, what they have on record for herald's account
 * (sender numbers, Kakao channels, AlimTalk templates, uploaded images), who among the recipients
 * can get an AlimTalk, and what their result look-ups will answer. Shared by every text contract.
 */
export class TextSimulation {
  readonly trust: TextTrust;
  readonly kakao = new KakaoAudience();
  readonly senderNumbers = new VendorAllowList();
  readonly kakaoSenders = new VendorAllowList();
  readonly templates = new VendorTemplates();
  readonly files = new UploadedFiles();
  readonly results = new DeliveryResults();
  /**
   * Each vendor's look-up rate limit. None of NHN SMS, SENS and SOLAPI documents one for its result
   * look-up, so none applies until a test or drill sets it (`lookUpRateLimitPerSecond`).
   */
  readonly lookUps = new LookUpThrottle();
  /**
   * The URL each vendor id POSTs its receipts to: SOLAPI's message reports (none: look-up only),
   * SES' SNS notifications (none: not notified).
   */
  readonly webhooks = new Map<string, string>();
  /** The URLs set at start (flags, herald's own address in process): what reset() goes back to. */
  readonly #standingWebhooks = new Map<string, string>();
  /** Epoch ms the contracts judge timestamps and expiries by (SENS' 5-minute window); tests move it. */
  readonly now: () => number;

  constructor(trust: TextTrust = {}, now: () => number = Date.now) {
    this.trust = trust;
    this.now = now;
  }

  /** A webhook URL that is part of the deployment's wiring, so it outlives reset(). */
  setStandingWebhook(vendorId: string, url: string): void {
    this.#standingWebhooks.set(vendorId, url);
    this.webhooks.set(vendorId, url);
  }

  /** What `POST /_sim/reset` clears: everything but the trust and the standing webhooks. */
  reset(): void {
    this.kakao.reset();
    this.senderNumbers.reset();
    this.kakaoSenders.reset();
    this.templates.reset();
    this.files.reset();
    this.results.reset();
    this.lookUps.reset();
    this.webhooks.clear();
    for (const [vendorId, url] of this.#standingWebhooks) this.webhooks.set(vendorId, url);
  }
}
