import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { solapiFateOf } from '../../../src/simulators/solapi/solapi-fates.ts';
import { scheduleSolapiReports } from '../../../src/simulators/solapi/solapi-webhook.ts';
import type { DeliveryResult } from '../../../src/simulators/text/delivery-results.ts';
import { TextSimulation } from '../../../src/simulators/text/text-simulation.ts';
import { waitFor } from '../../support/herald-harness.ts';
import { WebhookReceiver } from '../../support/webhook-receiver.ts';

const VENDOR = 'solapi-sms';

/**
 * SOLAPI posts a message report once the message's result is final, never one saying "still
 * sending" (3000). The simulator's report timer is set for the last result's readyAt; a timer fires
 * early by the clock under load (it counts from the tick's cached loop time), which once made a
 * report carry its last message as 3000: herald took the others and that message's webhook
 * receipt never came (CI on 18cd94a). Here the simulator's clock runs at half the timers' pace, so
 * every timer fires early by it.
 */
describe('SOLAPI simulator report webhook timing', () => {
  const receiver = new WebhookReceiver();
  const shutdown = new AbortController();
  after(async () => {
    shutdown.abort();
    await receiver.close();
  });

  it('reports every message of a send call final, even when its timer fires early by the clock', async () => {
    const start = Date.now();
    const text = new TextSimulation({}, () => start + Math.floor((Date.now() - start) / 2));
    text.results.resultDelayMs = 100;
    text.webhooks.set(VENDOR, await receiver.start());
    const recorded: [string, DeliveryResult][] = [];
    for (let i = 0; i < 5; i += 1) {
      const messageId = `M4V20261203000000TIMING${i}`;
      const { fate, code } = solapiFateOf(text, VENDOR, messageId);
      const result = text.results.record(
        VENDOR,
        messageId,
        {
          messageId,
          to: `0101234000${i}`,
          code,
          fate,
          detail: { type: 'SMS', groupId: 'G1', createdAt: start },
        },
        text.now() + i * 10,
        'G1',
      );
      recorded.push([messageId, result]);
    }

    scheduleSolapiReports(VENDOR, recorded, { text, shutdown: shutdown.signal });

    await waitFor(async () => receiver.answered.length > 0, 10_000, 'the report');
    const [report] = receiver.received;
    const messages = JSON.parse(report!.body) as { messageId: string; statusCode: string }[];
    assert.deepEqual(
      messages.map((m) => m.messageId),
      recorded.map(([id]) => id),
    );
    for (const message of messages) assert.notEqual(message.statusCode, '3000', JSON.stringify(message));
    // Tallied once the simulator has the receiver's answer, a moment after the receiver sent it.
    const tallied = () => text.results.tally.reported(VENDOR);
    await waitFor(async () => tallied() >= recorded.length, 10_000, 'the report tallied');
    assert.equal(tallied(), recorded.length, 'each message tallied once, as taken');
  });
});
