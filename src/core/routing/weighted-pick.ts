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
