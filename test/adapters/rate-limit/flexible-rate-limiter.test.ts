import { createMemoryRateLimiter } from '../../../src/adapters/rate-limit/flexible-rate-limiter.ts';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.ts';

/** The embedded default's limiter: counters in memory. */
describeRateLimiterContract('memory', async () => {
  const limiter = createMemoryRateLimiter();
  return { store: limiter, cleanup: () => limiter.close() };
});
