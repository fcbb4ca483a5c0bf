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
    };
