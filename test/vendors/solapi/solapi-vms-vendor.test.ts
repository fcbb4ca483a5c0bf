import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHeraldError } from '../../../src/core/domain/errors.ts';
import { voiceMessage } from '../../../src/vendors/solapi/solapi-vms-vendor.ts';
import { vmsMessage } from './solapi-test-kit.ts';

describe('solapi-vms: herald VMS as a SOLAPI VOICE message', () => {
  it('sends type VOICE from the sender number with the voice options in SOLAPI names and values', () => {
    const message = vmsMessage();
    assert.deepEqual(voiceMessage(message), {
      to: message.to,
      from: '0212345678',
      text: message.body,
      type: 'VOICE',
      voiceOptions: {
        voiceType: 'MALE',
        headerMessage: '헤럴드에서 알려 드립니다',
        tailMessage: '감사합니다',
        replyRange: 1,
      },
      customFields: { heraldMessageId: message.messageId },
    });
  });

  it('gives a VMS without options the female voice SOLAPI requires a type for, and a counselor as digits', () => {
    assert.deepEqual(voiceMessage(vmsMessage({ vms: undefined })).voiceOptions, { voiceType: 'FEMALE' });
    assert.deepEqual(voiceMessage(vmsMessage({ vms: { counselorNumber: '0293022266' } })).voiceOptions, {
      voiceType: 'FEMALE',
      counselorNumber: '0293022266',
    });
  });

  it('refuses a VMS without a sender number before any call', () => {
    assert.throws(
      () => voiceMessage(vmsMessage({ from: undefined })),
      (error: unknown) =>
        isHeraldError(error) && error.code === 'HERALD_SENDER_NOT_REGISTERED' && !error.retryable,
    );
  });
});
