import type { Transport, TransportRecord } from '../../src/ports/transport.ts';

/**
 * What a topic holds, read by a probe consumer group of its own: polls until `expected` records
 * came (or 10 s passed), then once more, so a record that should not be there is seen too.
 */
export async function readTopic(
  transport: Pick<Transport, 'consumer'>,
  topic: string,
  expected: number,
  group = 'probe',
): Promise<TransportRecord[]> {
  const reader = await transport.consumer({ group, topics: [topic] });
  try {
    const records: TransportRecord[] = [];
    const deadline = Date.now() + 10_000;
    while (records.length < expected && Date.now() < deadline) records.push(...(await reader.poll(500, 200)));
    records.push(...(await reader.poll(500, 200))); // and nothing more
    return records;
  } finally {
    await reader.close();
  }
}
