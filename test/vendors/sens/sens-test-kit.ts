import { randomInt, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { TextTrust } from '../../../src/simulators/text/text-trust.ts';
import type { SensAccount } from '../../../src/vendors/sens/sens-client.ts';

export const SMS_ACCOUNT: SensAccount = {
  accessKey: 'AKIAHERALDSMS0000001',
  secretKey: 'sms-secret-key-0123456789abcdefghijklmnopq',
  serviceId: 'ncp:sms:kr:123456789012:herald',
};
export const ALIMTALK_ACCOUNT: SensAccount = {
  accessKey: 'AKIAHERALDKAKAO00001',
  secretKey: 'kakao-secret-key-0123456789abcdefghijklmn',
  serviceId: 'ncp:kkobizmsg:kr:1234567:herald',
};
export const CHANNEL = '@herald';
export const TEMPLATE = {
  code: 'ORDER_SHIPPED',
  name: 'Order shipped',
  body: '#{name}님, 주문하신 상품이 발송되었습니다.',
};

const TRUST: TextTrust = {
  'sens-sms': {
    kind: 'sens-sms',
    accountId: SMS_ACCOUNT.accessKey,
    secret: SMS_ACCOUNT.secretKey,
    serviceId: SMS_ACCOUNT.serviceId,
  },
  'sens-alimtalk': {
    kind: 'sens-alimtalk',
    accountId: ALIMTALK_ACCOUNT.accessKey,
    secret: ALIMTALK_ACCOUNT.secretKey,
    serviceId: ALIMTALK_ACCOUNT.serviceId,
  },
};

export interface SensSim {
  readonly sim: SimulatorServer;
  /** Where an adapter of `vendorId` sends: through the counting relay, under `/<vendorId>`. */
  baseUrl(vendorId: string): string;
  close(): Promise<void>;
}

/** A simulator hosting both SENS vendors with the test accounts, and the approved test template. */
export async function startSensSim(options: { epochNow?: () => number } = {}): Promise<SensSim> {
  const sim = await startSimulatorServer({
    vendors: { 'sens-sms': {}, 'sens-alimtalk': {} },
    textTrust: TRUST,
    ...(options.epochNow ? { epochNow: options.epochNow } : {}),
  });
  sim.text.templates.put('sens-alimtalk', { ...TEMPLATE, senderId: CHANNEL, buttons: [] });
  return {
    sim,
    baseUrl: (vendorId) => `${sim.url}/${vendorId}`,
    close: async () => {
      await sim.close();
    },
  };
}

/** A Korean mobile number no test has used. */
export function phoneNumber(): string {
  return `010${String(randomInt(10_000_000, 100_000_000))}`;
}

export function smsMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'sms',
    to: phoneNumber(),
    from: '0212345678',
    body: '주문하신 상품이 발송되었습니다.',
    attempt: 1,
    lane: 'realtime',
    ...overrides,
  };
}

export function alimtalkMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'alimtalk',
    to: phoneNumber(),
    body: '김민지님, 주문하신 상품이 발송되었습니다.',
    attempt: 1,
    lane: 'realtime',
    kakao: {
      senderIds: { 'sens-alimtalk': CHANNEL },
      templateCodes: { 'sens-alimtalk': TEMPLATE.code },
      variables: { name: '김민지' },
      buttons: [],
    },
    ...overrides,
  };
}
