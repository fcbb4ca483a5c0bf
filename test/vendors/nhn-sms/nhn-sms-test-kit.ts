import { randomInt, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';

export const NHN_VENDOR_ID = 'nhn-sms';

/** An NHN account shaped like a real one: 16-character appKey, 8-character secret key. */
export function nhnAccount(): TextVendorTrust {
  return {
    kind: 'nhn-sms',
    accountId: randomUUID().replaceAll('-', '').slice(0, 16),
    secret: randomUUID().replaceAll('-', '').slice(0, 8),
  };
}

/** The simulator with the nhn-sms vendor trusting `account`. */
export function startNhnSimulator(
  account: TextVendorTrust,
  epochNow?: () => number,
): Promise<SimulatorServer> {
  return startSimulatorServer({
    vendors: { [NHN_VENDOR_ID]: {} },
    textTrust: { [NHN_VENDOR_ID]: account },
    ...(epochNow ? { epochNow } : {}),
  });
}

/** A Korean mobile number no test has used (010 + 8 digits). */
export function mobileNumber(): string {
  return `010${String(randomInt(10_000_000, 100_000_000))}`;
}

/** An SMS as the pipeline hands it to the adapter, from a registered-looking sender number. */
export function textMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'sms',
    to: mobileNumber(),
    body: '주문하신 상품이 발송되었습니다.',
    from: '15446859',
    attempt: 1,
    lane: 'realtime',
    ...overrides,
  };
}
