import { randomBytes, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { SolapiAccount } from '../../../src/vendors/solapi/solapi-api.ts';

/** An account shaped like SOLAPI's (NCS + 13, 32-character secret). */
export function solapiAccount(): SolapiAccount {
  const alnum = (n: number) => randomBytes(n).toString('hex').toUpperCase().slice(0, n);
  return { apiKey: `NCS${alnum(13)}`, apiSecret: alnum(32) };
}

/** A simulator hosting the three SOLAPI vendors, trusting `account` for each. */
export async function solapiSimulator(account: SolapiAccount): Promise<SimulatorServer> {
  const trust = (kind: 'solapi-sms' | 'solapi-alimtalk' | 'solapi-vms') => ({
    kind,
    accountId: account.apiKey,
    secret: account.apiSecret,
  });
  return startSimulatorServer({
    vendors: { 'solapi-sms': {}, 'solapi-alimtalk': {}, 'solapi-vms': {} },
    textTrust: {
      'solapi-sms': trust('solapi-sms'),
      'solapi-alimtalk': trust('solapi-alimtalk'),
      'solapi-vms': trust('solapi-vms'),
    },
  });
}

/** An SMS as the pipeline hands it to the adapter. */
export function smsMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'sms',
    to: `010${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    from: '0212345678',
    body: '[herald] 인증번호는 123456 입니다',
    attempt: 1,
    expiresAt: Date.now() + 3_600_000,
    ...overrides,
  };
}

/** A VMS as the pipeline hands it to the adapter: a header, a reply key and a tail. */
export function vmsMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return smsMessage({
    channel: 'vms',
    body: '고객님의 주문이 내일 도착합니다. 변경하시려면 1번을 눌러 주세요.',
    vms: {
      voiceType: 'male',
      headerMessage: '헤럴드에서 알려 드립니다',
      tailMessage: '감사합니다',
      replyRange: 1,
    },
    ...overrides,
  });
}

export const PF_ID = 'KA01PF200101000000000000000000';
export const TEMPLATE_ID = 'KA01TP200101000000000herald';

/** Registers herald's approved template at the simulated solapi-alimtalk for PF_ID. */
export function registerTemplate(sim: SimulatorServer, vendorId = 'solapi-alimtalk'): void {
  sim.text.templates.put(vendorId, {
    code: TEMPLATE_ID,
    name: 'order-shipped',
    senderId: PF_ID,
    body: '#{name}님, 주문하신 상품이 발송되었습니다.',
    buttons: [{ type: 'DS', name: '배송조회' }],
    state: 'approved',
  });
}

/** An AlimTalk of that template as the pipeline hands it to the adapter. */
export function alimtalkMessage(
  overrides: Partial<OutboundMessage> = {},
  vendorId = 'solapi-alimtalk',
): OutboundMessage {
  return smsMessage({
    channel: 'alimtalk',
    body: '홍길동님, 주문하신 상품이 발송되었습니다.',
    kakao: {
      senderIds: { [vendorId]: PF_ID },
      templateCodes: { [vendorId]: TEMPLATE_ID },
      variables: { name: '홍길동' },
      buttons: [{ type: 'DS', name: '배송조회' }],
    },
    ...overrides,
  });
}
