/**
 * Picks one item with probability proportional to its weight. Items of weight 0 are never picked
 * (the kill switch). Returns undefined when nothing has weight.
 */
export function weightedPick<T extends { readonly weight: number }>(
  items: readonly T[],
  random: () => number = Math.random,
): T | undefined {
  let total = 0;
  for (const item of items) total += Math.max(0, item.weight);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const item of items) {
    const weight = Math.max(0, item.weight);
    if (weight === 0) continue;
    if (point < weight) return item;
    point -= weight;
  }
  return items.findLast((item) => item.weight > 0);
}

/**
 * Picks one item for `key` with probability proportional to weight across keys, but always the
 * same item for the same key and the same set of items (weighted rendezvous hashing). Routing by
 * message key makes a redelivered message (after a crash) go to the vendor that may already have
 * it, and that vendor's idempotency key keeps it from reaching the recipient twice.
 */
export function stickyWeightedPick<T extends { readonly weight: number; readonly vendor: string }>(
  items: readonly T[],
  key: string,
): T | undefined {
  let best: T | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    if (item.weight <= 0) continue;
    const u = (fnv1a32(`${key}\u0000${item.vendor}`) + 0.5) / 2 ** 32;
    const score = item.weight / -Math.log(u);
    if (score > bestScore) {
      best = item;
      bestScore = score;
    }
  }
  return best;
}

/**
 * FNV-1a over the text, then murmur3's finaliser: FNV alone spreads keys that differ only in
 * their last characters poorly, and the finaliser makes every input bit reach every output bit.
 */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
