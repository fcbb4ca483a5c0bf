import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { KakaoButton, OutboundMessage } from '../../../src/core/domain/message.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';

export const VENDOR_ID = 'nhn-alimtalk';
export const TEMPLATE_CODE = 'ORDER_SHIPPED';
export const TEMPLATE_BODY = '#{name}님, 주문하신 상품이 발송되었습니다. 송장번호 #{invoice}';

/** A 40-character sender key, shaped like Kakao's. */
export function senderKey(): string {
  return randomBytes(20).toString('hex');
}

/** A Korean mobile number no test has used (digits only, as herald hands it to adapters). */
export function phoneNumber(): string {
  return `010${String(randomInt(10_000_000, 100_000_000))}`;
}

/** herald's account at the simulated NHN AlimTalk. */
export function nhnTrust(): TextVendorTrust {
  return {
    kind: 'nhn-alimtalk',
    accountId: randomBytes(8).toString('hex'),
    secret: randomBytes(4).toString('hex'),
  };
}

export interface NhnSimulator {
  readonly sim: SimulatorServer;
  readonly trust: TextVendorTrust;
  readonly senderKey: string;
  readonly baseUrl: string;
}

/** A simulator hosting nhn-alimtalk, the sender key on record and the template approved there. */
export async function startNhnSimulator(buttons: readonly KakaoButton[] = []): Promise<NhnSimulator> {
  const trust = nhnTrust();
  const sim = await startSimulatorServer({ vendors: { [VENDOR_ID]: {} }, textTrust: { [VENDOR_ID]: trust } });
  const key = senderKey();
  sim.text.kakaoSenders.set(VENDOR_ID, [key]);
  sim.text.templates.put(VENDOR_ID, {
    code: TEMPLATE_CODE,
    name: '발송 안내',
    senderId: key,
    body: TEMPLATE_BODY,
    buttons,
    state: 'approved',
  });
  return { sim, trust, senderKey: key, baseUrl: `${sim.url}/${VENDOR_ID}` };
}

/** An AlimTalk message as the pipeline hands it to the adapter. */
export function alimtalkMessage(key: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  const variables = { name: '홍길동', invoice: '1234' };
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'alimtalk',
    to: phoneNumber(),
    body: '홍길동님, 주문하신 상품이 발송되었습니다. 송장번호 1234',
    attempt: 1,
    expiresAt: Date.now() + 3_600_000,
    kakao: {
      senderIds: { [VENDOR_ID]: key },
      templateCodes: { [VENDOR_ID]: TEMPLATE_CODE },
      variables,
      buttons: [],
    },
    ...overrides,
  };
}
