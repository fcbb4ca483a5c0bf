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
  /** SOLAPI: the webhook URL each vendor id POSTs its message reports to (none: look-up only). */
  readonly webhooks = new Map<string, string>();
  /** Epoch ms the contracts judge timestamps and expiries by (SENS' 5-minute window); tests move it. */
  readonly now: () => number;

  constructor(trust: TextTrust = {}, now: () => number = Date.now) {
    this.trust = trust;
    this.now = now;
  }

  /** What `POST /_sim/reset` clears: everything but the trust. */
  reset(): void {
    this.kakao.reset();
    this.senderNumbers.reset();
    this.kakaoSenders.reset();
    this.templates.reset();
    this.files.reset();
    this.results.reset();
    this.lookUps.reset();
    this.webhooks.clear();
  }
}
