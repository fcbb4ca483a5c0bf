/**
 * Splits `maxRecords` across partitions by what each has waiting (water-filling): every partition
 * with data gets an equal share, and what a small partition cannot use goes to the others. The
 * odd records left after equal shares go to partitions in order from `startAt`, which the caller
 * rotates, so over successive polls no partition is always last. A hot partition therefore gets
 * the slack, never the whole poll while others wait.
 */
export function shareFairly(available: readonly number[], maxRecords: number, startAt: number): number[] {
  const quotas = available.map(() => 0);
  const count = available.length;
  let remaining = maxRecords;
  let open = rotatedIndexes(count, startAt).filter((i) => available[i]! > 0);
  while (remaining > 0 && open.length > 0) {
    const share = Math.max(1, Math.floor(remaining / open.length));
    for (const i of open) {
      const granted = Math.min(share, available[i]! - quotas[i]!, remaining);
      quotas[i]! += granted;
      remaining -= granted;
      if (remaining === 0) break;
    }
    open = open.filter((i) => quotas[i]! < available[i]!);
  }
  return quotas;
}

function rotatedIndexes(count: number, startAt: number): number[] {
  return Array.from({ length: count }, (_, i) => (startAt + i) % count);
}
