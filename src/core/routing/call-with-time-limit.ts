import { HeraldError } from '../domain/errors.ts';

/**
 * Runs a vendor call under a hard time limit. The call gets an AbortSignal that fires at the
 * limit; and because an adapter might ignore its signal, the limit also settles the returned
 * promise by itself, so a hung vendor can never hold a pool slot (or the consumer) past its time.
 */
export async function callWithTimeLimit<T>(
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HeraldError('HERALD_VENDOR_TIMEOUT', `no answer within ${timeoutMs} ms`, {
        retryable: true,
        vendorFault: true,
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), limit]);
  } finally {
    clearTimeout(timer);
  }
}
