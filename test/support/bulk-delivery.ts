import assert from 'node:assert/strict';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { DeliveryCheck, SendReceipt, Vendor } from '../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';

/**
 * Sends three AlimTalk messages in one bulk call, Kakao set to deliver the first, find the second's
 * number no KakaoTalk user (3019) and the third's blocking the channel (3020), and looks each
 * receipt up: the checks, in order, show whether each receipt addresses its own message.
 */
export async function checksOfOneBulkCall(
  vendor: Vendor,
  sim: SimulatorServer,
  messages: readonly [OutboundMessage, OutboundMessage, OutboundMessage],
): Promise<DeliveryCheck[]> {
  sim.text.kakao.mark([messages[1].to], '3019');
  sim.text.kakao.mark([messages[2].to], '3020');
  const calls = () => sim.stats().vendors[vendor.id]?.calls ?? 0;
  const before = calls();
  const results = await vendor.bulk!.sendMany(messages, AbortSignal.timeout(10_000));
  assert.equal(calls() - before, 1, 'one call carried the three');
  const receipts = results.map((result, i) => {
    assert.notEqual((result as Error).name, 'HeraldError', `message ${i} was refused`);
    return result as SendReceipt;
  });
  assert.equal(new Set(receipts.map((receipt) => receipt.vendorMessageId)).size, 3, 'three receipts');
  return Promise.all(
    receipts.map((receipt) => vendor.checkDelivery!(receipt.vendorMessageId, AbortSignal.timeout(10_000))),
  );
}

/** The checks as [state, code, fallback], for one deepEqual. */
export function outcomesOf(checks: readonly DeliveryCheck[]): unknown[] {
  return checks.map((check) =>
    check.state === 'undelivered'
      ? [check.state, check.code, check.fallback]
      : [check.state, check.state === 'delivered' ? check.code : undefined],
  );
}
