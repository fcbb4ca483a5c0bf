import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { RemoteConfigDocument, VendorSettings } from '../../../src/core/domain/remote-config.ts';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';
import { sendOne } from '../../../src/core/pipeline/send-one.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { smsEnvelope, TEST_UNSUBSCRIBE_LINKS } from './lane-fixtures.ts';

const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };

function smsVendor(id: string, calls: string[]): Vendor {
  return {
    id,
    channels: ['sms'],
    async send(message) {
      calls.push(id);
      return { vendorMessageId: `${id}-${message.messageId}` };
    },
    close: async () => {},
  };
}

/**
 * Vendor `a` (paced at 10/s) routed first; while a send waits for a's rate, the routing moves to
 * `b` (as an opening breaker or a live weight change would). `bSettings` decides whether b has a
 * rate of its own.
 */
function rerouted(bSettings: VendorSettings) {
  const calls: string[] = [];
  const acquired: string[] = [];
  let config: RemoteConfigDocument = {
    ...DEFAULT_REMOTE_CONFIG,
    routing: {
      ...DEFAULT_REMOTE_CONFIG.routing,
      sms: [
        { vendor: 'a', weight: 1 },
        { vendor: 'b', weight: 0 },
      ],
    },
    vendors: { ...DEFAULT_REMOTE_CONFIG.vendors, a: { ...policy, maxPerSecond: 10 }, b: bSettings },
  };
  const context = {
    router: new VendorRouter({
      vendors: [smsVendor('a', calls), smsVendor('b', calls)],
      config: () => config,
    }),
    metadata: new MetadataResolver(
      { get: async () => undefined },
      undefined,
      undefined,
      TEST_UNSUBSCRIBE_LINKS,
    ),
    metadataPool: new ConcurrencyLimit(1),
    sendPool: new ConcurrencyLimit(1),
    now: Date.now,
    onSending: () => {},
    vendorRate: {
      acquire: async (vendor: string) => {
        acquired.push(vendor);
        config = { ...config, routing: { ...config.routing, sms: [{ vendor: 'b', weight: 1 }] } };
      },
    },
  };
  return { context, calls, acquired };
}

describe('sendOne and the vendor rate', () => {
  const never = new AbortController().signal;

  it('waits for the picked vendor before the pool, then goes where the routing says when the slot is its', async () => {
    const { context, calls, acquired } = rerouted(policy);
    const outcome = await sendOne(context, smsEnvelope(1), never);
    assert.equal(outcome.kind, 'sent');
    assert.deepEqual(acquired, ['a'], "a's rate waited for");
    assert.deepEqual(calls, ['b'], 'b, without a rate, called at once');
  });

  it('waits again, outside the pool, when the routing moved to another vendor with a rate', async () => {
    const { context, calls, acquired } = rerouted({ ...policy, maxPerSecond: 20 });
    const outcome = await sendOne(context, smsEnvelope(1), never);
    assert.equal(outcome.kind, 'sent');
    assert.deepEqual(acquired, ['a', 'b']);
    assert.deepEqual(calls, ['b']);
  });

  it('ends abandoned, the vendor never called, when the lane stops while it waits for the rate', async () => {
    const { context, calls } = rerouted(policy);
    const shutdown = new AbortController();
    const waiting = {
      ...context,
      vendorRate: {
        acquire: (_vendor: string, _messages: number, _rate: number, signal: AbortSignal) =>
          new Promise<void>((_, reject) => {
            if (signal.aborted) reject(signal.reason);
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
      },
    };
    const outcome = sendOne(waiting, smsEnvelope(1), shutdown.signal);
    shutdown.abort(new Error('stopping'));
    assert.equal((await outcome).kind, 'abandoned');
    assert.deepEqual(calls, []);
  });
});
