/**
 * A source of uniform numbers in [0, 1), like `Math.random`. Every random choice a simulator makes
 * (latency, errors, hangs) draws from one of these, so a test can pass a seeded one and get the
 * same sequence on every run.
 */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG with a full 2^32 period. Far from cryptographic, but uniform
 * enough for sampling latency and error shares, and it needs no dependency.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * One draw from the standard normal distribution (Box-Muller). `1 - random()` keeps the logarithm
 * away from zero, since a uniform source may return exactly 0.
 */
export function sampleStandardNormal(random: RandomSource): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
