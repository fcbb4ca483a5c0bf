import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SenderLookup } from '../../../src/core/submission/resolve-senders.ts';
import { resolveSenders } from '../../../src/core/submission/resolve-senders.ts';
import type { EmailSender, KakaoChannel, SenderNumber } from '../../../src/ports/sender-registry.ts';

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
function lookup(numbers: SenderNumber[], channels: KakaoChannel[] = [], emailSenders: EmailSender[] = []) {
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
    async listEmailSenders() {
      return emailSenders;
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
    await assert.rejects(
      resolveSenders({ clientId: 'shop', channel: 'sms', replyTo: 'a@shop.example' }, senders, VENDORS),
      { code: 'HERALD_VALIDATION_FAILED', field: 'replyTo' },
    );
  });

  const sender = (address: string, isDefault = false, name?: string): EmailSender => ({
    address,
    isDefault,
    ...(name !== undefined && { name }),
    registeredAt: 0,
  });

  it('sends an e-mail from a registered address with its display name, or from the default', async () => {
    const { senders } = lookup(
      [],
      [],
      [sender('orders@shop.example', true, 'Shop "Seoul"'), sender('News@shop.example')],
    );
    const email = (extra: { from?: string; replyTo?: string }) =>
      resolveSenders({ clientId: 'shop', channel: 'email', ...extra }, senders, VENDORS);
    assert.deepEqual(await email({}), { from: '"Shop \\"Seoul\\"" <orders@shop.example>' });
    assert.deepEqual(await email({ from: 'News@SHOP.example', replyTo: 'help@Shop.example' }), {
      from: 'News@shop.example',
      replyTo: 'help@shop.example',
    });
  });

  it('refuses an unregistered e-mail from, or none without a default, with 422 HERALD_SENDER_NOT_REGISTERED', async () => {
    const registered = lookup([], [], [sender('orders@shop.example', true)]).senders;
    await assert.rejects(
      resolveSenders({ clientId: 'shop', channel: 'email', from: 'ceo@shop.example' }, registered, VENDORS),
      { code: 'HERALD_SENDER_NOT_REGISTERED', field: 'from', message: /email-senders/ },
    );
    const none = lookup([number('0212345678', true)]).senders;
    await assert.rejects(resolveSenders({ clientId: 'shop', channel: 'email' }, none, VENDORS), {
      code: 'HERALD_SENDER_NOT_REGISTERED',
      message: /no default e-mail sender/,
    });
  });

  it('refuses CR, LF and other controls in an e-mail from or replyTo as header injection, and a list of addresses', async () => {
    const { senders } = lookup([], [], [sender('orders@shop.example', true)]);
    for (const bad of ['\r\nBcc: x@evil.example', '\n', '\u2028', '\u0085', '\t', '\u0000']) {
      for (const field of ['from', 'replyTo'] as const) {
        await assert.rejects(
          resolveSenders(
            { clientId: 'shop', channel: 'email', [field]: `orders@shop.example${bad}` },
            senders,
            VENDORS,
          ),
          { code: 'HERALD_CONTROL_CHARACTER', field },
          `${field} with ${JSON.stringify(bad)}`,
        );
      }
    }
    for (const list of [
      'a@shop.example, b@evil.example',
      'Name <a@shop.example>',
      'a@shop.example;b@x.example',
    ]) {
      await assert.rejects(
        resolveSenders({ clientId: 'shop', channel: 'email', replyTo: list }, senders, VENDORS),
        { code: 'HERALD_INVALID_EMAIL', field: 'replyTo' },
      );
    }
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
