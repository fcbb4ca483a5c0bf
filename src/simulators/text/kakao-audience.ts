import { createHash } from 'node:crypto';

/**
 * Kakao's delivery result codes the simulator models for an AlimTalk recipient (ATDOC error codes):
 * 1000 delivered; 3018 cannot be delivered (inactive user, no device...); 3019 not a KakaoTalk user;
 * 3020 blocked the channel's AlimTalk. The last three are where the fallback SMS/LMS takes over.
 */
export const KAKAO_OUTCOMES = ['1000', '3018', '3019', '3020'] as const;
export type KakaoOutcome = (typeof KAKAO_OUTCOMES)[number];

export interface KakaoShares {
  /** 0..1 of recipients who are not KakaoTalk users (3019). */
  readonly notKakaoUser: number;
  /** 0..1 who blocked the channel (3020). */
  readonly blocked: number;
  /** 0..1 who cannot receive it now (3018). */
  readonly inactive: number;
}

const NONE: KakaoShares = Object.freeze({ notKakaoUser: 0, blocked: 0, inactive: 0 });

/**
 * Who among the recipients can get an AlimTalk, shared by every simulated AlimTalk vendor (Kakao is
 * one platform behind all of them). A number's outcome is fixed: named explicitly (`mark`), or drawn
 * once from the shares by a hash of the number, so the same recipient fails the same way at every
 * vendor and on every retry, as a real non-user would.
 */
export class KakaoAudience {
  #shares: KakaoShares = NONE;
  readonly #marked = new Map<string, KakaoOutcome>();

  get shares(): KakaoShares {
    return this.#shares;
  }

  /** Throws RangeError for shares outside 0..1 or summing over 1. */
  setShares(shares: Partial<KakaoShares>): KakaoShares {
    const next = { ...this.#shares, ...shares };
    const values = [next.notKakaoUser, next.blocked, next.inactive];
    if (
      values.some((v) => typeof v !== 'number' || !(v >= 0 && v <= 1)) ||
      values.reduce((a, b) => a + b) > 1
    ) {
      throw new RangeError('notKakaoUser, blocked and inactive must each be in 0..1 and sum to at most 1');
    }
    this.#shares = Object.freeze(next);
    return this.#shares;
  }

  /** From now on these numbers (digits only, as sent) get `outcome` at every AlimTalk vendor. */
  mark(numbers: readonly string[], outcome: KakaoOutcome): void {
    for (const number of numbers) this.#marked.set(digits(number), outcome);
  }

  outcomeFor(number: string): KakaoOutcome {
    const key = digits(number);
    const marked = this.#marked.get(key);
    if (marked !== undefined) return marked;
    const { notKakaoUser, blocked, inactive } = this.#shares;
    if (notKakaoUser + blocked + inactive === 0) return '1000';
    const roll = createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
    if (roll < notKakaoUser) return '3019';
    if (roll < notKakaoUser + blocked) return '3020';
    if (roll < notKakaoUser + blocked + inactive) return '3018';
    return '1000';
  }

  reset(): void {
    this.#shares = NONE;
    this.#marked.clear();
  }
}

function digits(number: string): string {
  return number.replace(/\D/g, '');
}
