import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SenderLookup } from '../../../src/core/submission/resolve-senders.ts';
import { resolveSenders } from '../../../src/core/submission/resolve-senders.ts';
import type { KakaoChannel, SenderNumber } from '../../../src/ports/sender-registry.ts';

const number = (digits: string, isDefault = false): SenderNumber => ({
  number: digits,
  isDefault,
  registeredAt: 0,
});
const channel = (senderIds: Record<string, string>, isDefault = true): KakaoChannel => ({
  name: '@shop',
  senderIds,
  isDefault,
  registeredAt: 0,
});

/** An object-literal registry that counts its reads. */
function lookup(numbers: SenderNumber[], channels: KakaoChannel[] = []) {
  const reads = { numbers: 0, channels: 0 };
  const senders: SenderLookup = {
    async listSenderNumbers() {
      reads.numbers += 1;
      return numbers;
    },
    async listKakaoChannels() {
      reads.channels += 1;
      return channels;
    },
  };
  return { senders, reads };
}

const VENDORS = ['nhn-alimtalk', 'sens-alimtalk'];

describe('resolveSenders', () => {
  it('sends an SMS from the given number once it is registered, normalised, with one registry read', async () => {
    const { senders, reads } = lookup([number('0212345678', true), number('15881234')]);
    const resolved = await resolveSenders(
      { clientId: 'shop', channel: 'lms', from: '1588-1234' },
      senders,
      VENDORS,
    );
    assert.deepEqual(resolved, { from: '15881234' });
    assert.deepEqual(reads, { numbers: 1, channels: 0 });
  });

  it("defaults to the client's default number", async () => {
    const { senders } = lookup([number('15881234'), number('0212345678', true)]);
    assert.deepEqual(await resolveSenders({ clientId: 'shop', channel: 'sms' }, senders, VENDORS), {
      from: '0212345678',
    });
  });

  it('refuses an unregistered from, or none without a default, with 422 HERALD_SENDER_NOT_REGISTERED', async () => {
    const { senders } = lookup([number('15881234')]);
    await assert.rejects(
      resolveSenders({ clientId: 'shop', channel: 'mms', from: '02-999-9999' }, senders, VENDORS),
      {
        code: 'HERALD_SENDER_NOT_REGISTERED',
        httpStatus: 422,
        field: 'from',
      },
    );
    await assert.rejects(resolveSenders({ clientId: 'shop', channel: 'sms' }, senders, VENDORS), {
      code: 'HERALD_SENDER_NOT_REGISTERED',
      message: /no default sender number/,
    });
  });

  it('refuses a from that is not a sender number at all with 400, and a from on another channel', async () => {
    const { senders } = lookup([number('0212345678', true)]);
    await assert.rejects(resolveSenders({ clientId: 'shop', channel: 'sms', from: '12' }, senders, VENDORS), {
      code: 'HERALD_VALIDATION_FAILED',
      field: 'from',
    });
    await assert.rejects(
      resolveSenders({ clientId: 'shop', channel: 'push', from: '0212345678' }, senders, VENDORS),
      {
        code: 'HERALD_VALIDATION_FAILED',
        message: /not push/,
      },
    );
    assert.deepEqual(await resolveSenders({ clientId: 'shop', channel: 'email' }, senders, VENDORS), {});
  });

  it('sends an AlimTalk through the default channel, with the default number for its fallback', async () => {
    const ids = { 'nhn-alimtalk': 'a'.repeat(40), 'solapi-alimtalk': 'KA01PF1' };
    const { senders, reads } = lookup(
      [number('0212345678', true)],
      [channel({ other: 'x' }, false), channel(ids)],
    );
    assert.deepEqual(await resolveSenders({ clientId: 'shop', channel: 'alimtalk' }, senders, VENDORS), {
      kakaoSenders: ids,
      from: '0212345678',
    });
    assert.deepEqual(reads, { numbers: 1, channels: 1 });
  });

  it('lets an AlimTalk go without a fallback number', async () => {
    const { senders } = lookup([], [channel({ 'sens-alimtalk': '@shop' })]);
    assert.deepEqual(await resolveSenders({ clientId: 'shop', channel: 'alimtalk' }, senders, VENDORS), {
      kakaoSenders: { 'sens-alimtalk': '@shop' },
    });
  });

  it('refuses an AlimTalk without a default channel, or one no routed vendor knows', async () => {
    const none = lookup([number('0212345678', true)], [channel({ 'nhn-alimtalk': 'k' }, false)]);
    await assert.rejects(resolveSenders({ clientId: 'shop', channel: 'alimtalk' }, none.senders, VENDORS), {
      code: 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
      httpStatus: 422,
    });
    const elsewhere = lookup([], [channel({ 'solapi-alimtalk': 'KA01PF1' })]);
    await assert.rejects(
      resolveSenders({ clientId: 'shop', channel: 'alimtalk' }, elsewhere.senders, VENDORS),
      {
        code: 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
        message: /nhn-alimtalk, sens-alimtalk/,
      },
    );
  });
});
