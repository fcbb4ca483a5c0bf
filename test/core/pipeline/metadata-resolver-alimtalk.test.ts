import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';
import { withVendorStatus } from '../../../src/core/templates/alimtalk-template.ts';
import { approvedTemplate } from '../../support/templates.ts';

const BUTTONS = [{ type: 'WL', name: '조회', linkMobile: 'https://example.com/t' }];
const TEMPLATE = withVendorStatus(
  approvedTemplate(
    {
      clientId: 'shop',
      code: 'ORDER',
      body: '#{name}님 발송',
      buttons: BUTTONS,
      fallbackBody: '#{name}님 상품 발송',
    },
    ['nhn-alimtalk', 'sens-alimtalk'],
  ),
  'solapi-alimtalk',
  { code: 'KA01TP9', state: 'rejected', rejectedReason: 'no', syncedAt: 0 },
  0,
);

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: 'm1',
    requestId: 'r1',
    clientId: 'shop',
    key: 'k1',
    channel: 'alimtalk',
    lane: 'realtime',
    to: '01012345678',
    template: { code: 'ORDER', vars: { name: '김' } },
    kakaoSenders: { 'nhn-alimtalk': 'key-1', 'solapi-alimtalk': 'KA01PF' },
    from: '0212345678',
    attempt: 1,
    expiresAt: 10_000,
    createdAt: 0,
    ...overrides,
  };
}

describe('MetadataResolver: AlimTalk', () => {
  const lookups: string[] = [];
  const resolver = new MetadataResolver({
    get: async (clientId, code) => {
      lookups.push(`${clientId}/${code}`);
      return clientId === 'shop' && code === 'ORDER' ? TEMPLATE : undefined;
    },
  });

  it("builds the Kakao delivery from the client's template: approved vendors' codes, the envelope's channels", async () => {
    const message = await resolver.resolve(envelope(), 0);
    assert.equal(message.body, '김님 발송');
    assert.deepEqual(message.kakao, {
      senderIds: { 'nhn-alimtalk': 'key-1', 'solapi-alimtalk': 'KA01PF' },
      templateCodes: { 'nhn-alimtalk': 'ORDER', 'sens-alimtalk': 'ORDER' },
      variables: { name: '김' },
      buttons: BUTTONS,
    });
    // Approved AND a channel there: sens has no sender id, solapi rejected the template.
    assert.deepEqual(message.eligibleVendors, ['nhn-alimtalk']);
    assert.equal(message.from, '0212345678');
  });

  it('without channel ids on the envelope, any approved vendor is eligible', async () => {
    const { kakaoSenders: _none, ...rest } = envelope();
    const message = await resolver.resolve(rest, 0);
    assert.deepEqual(message.eligibleVendors, ['nhn-alimtalk', 'sens-alimtalk']);
  });

  it("looks templates up per client (another client's code is not found) and caches them briefly", async () => {
    lookups.length = 0;
    await resolver.resolve(envelope(), 100_000);
    await resolver.resolve(envelope({ messageId: 'm2' }), 100_001);
    assert.deepEqual(lookups, ['shop/ORDER']);
    await assert.rejects(resolver.resolve(envelope({ clientId: 'rider' }), 100_002), {
      code: 'HERALD_TEMPLATE_NOT_FOUND',
    });
  });

  it("renders the fallback from the client's template", async () => {
    assert.deepEqual(await resolver.fallbackFor(envelope(), 0), { channel: 'sms', body: '김님 상품 발송' });
  });
});

describe('MetadataResolver: a template approved nowhere any more', () => {
  it('fails the message with HERALD_TEMPLATE_NOT_APPROVED, not retryable', async () => {
    const draft = { ...TEMPLATE, state: 'draft' as const, version: 2, vendors: {} };
    const resolver = new MetadataResolver({ get: async () => draft });
    await assert.rejects(resolver.resolve(envelope(), 0), {
      code: 'HERALD_TEMPLATE_NOT_APPROVED',
      retryable: false,
    });
  });
});
