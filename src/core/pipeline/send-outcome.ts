import type { HeraldError } from '../domain/errors.ts';

/** What one vendor attempt came to. The batch processor turns it into history and the next step. */
export type SendOutcome =
  | {
      readonly kind: 'sent';
      readonly vendor: string;
      readonly latencyMs: number;
      readonly vendorMessageId: string;
    }
  | {
      readonly kind: 'failed';
      readonly vendor: string | undefined;
      readonly latencyMs: number;
      readonly error: HeraldError;
    }
  /**
   * The worker gave the attempt up (shutdown after the drain grace): no outcome is known, so none
   * is recorded; the record stays uncommitted and the message is redelivered after a restart.
   */
  | {
      readonly kind: 'abandoned';
      readonly vendor: string | undefined;
    };
