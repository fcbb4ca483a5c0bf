import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutToEucKrBytes, eucKrByteLength } from '../../../src/core/content/euc-kr.ts';
import {
  nhnBulkKey,
  nhnSendBody,
  nhnSendPath,
  nhnUploadPath,
} from '../../../src/vendors/nhn-sms/nhn-sms-request.ts';
import { textMessage } from './nhn-sms-test-kit.ts';

const APP_KEY = 'AbCdEf0123456789';

describe('nhn-sms request paths', () => {
  it('sends sms to /sender/sms and lms/mms to /sender/mms, under the appKey', () => {
    assert.equal(nhnSendPath(APP_KEY, textMessage()), `/sms/v3.0/appKeys/${APP_KEY}/sender/sms`);
    assert.equal(
      nhnSendPath(APP_KEY, textMessage({ channel: 'lms' })),
      `/sms/v3.0/appKeys/${APP_KEY}/sender/mms`,
    );
    assert.equal(
      nhnSendPath(APP_KEY, textMessage({ channel: 'mms' })),
      `/sms/v3.0/appKeys/${APP_KEY}/sender/mms`,
    );
  });

  it('sends the ad lane to ad-sms and ad-mms', () => {
    assert.equal(
      nhnSendPath(APP_KEY, textMessage({ lane: 'ad' })),
      `/sms/v3.0/appKeys/${APP_KEY}/sender/ad-sms`,
    );
    assert.equal(
      nhnSendPath(APP_KEY, textMessage({ lane: 'ad', channel: 'lms' })),
      `/sms/v3.0/appKeys/${APP_KEY}/sender/ad-mms`,
    );
    assert.equal(
      nhnSendPath(APP_KEY, textMessage({ lane: 'batch' })),
      `/sms/v3.0/appKeys/${APP_KEY}/sender/sms`,
    );
  });

  it('uploads attach files to attachfile/binaryUpload', () => {
    assert.equal(nhnUploadPath(APP_KEY), `/sms/v3.0/appKeys/${APP_KEY}/attachfile/binaryUpload`);
  });
});

describe('nhn-sms request bodies', () => {
  it('sends an SMS with body, sendNo and one recipient carrying the message id, without a title', () => {
    const message = textMessage({ subject: 'ignored on SMS' });
    assert.deepEqual(nhnSendBody('nhn-sms', message), {
      body: message.body,
      sendNo: '15446859',
      senderGroupingKey: 'herald-realtime',
      recipientList: [{ recipientNo: message.to, recipientGroupingKey: message.messageId }],
    });
  });

  it("tags every call with its lane as senderGroupingKey, and never bulks two lanes' messages", () => {
    const batch = textMessage({ lane: 'batch' });
    assert.equal(
      nhnSendBody('nhn-sms', [batch, textMessage({ lane: 'batch' })]).senderGroupingKey,
      'herald-batch',
    );
    assert.equal(
      nhnSendBody('nhn-sms', textMessage({ channel: 'lms', lane: 'ad' })).senderGroupingKey,
      'herald-ad',
    );
    const { lane: _, ...laneless } = batch;
    assert.equal(nhnSendBody('nhn-sms', laneless).senderGroupingKey, undefined);
    assert.notEqual(nhnBulkKey(batch), nhnBulkKey({ ...batch, lane: 'realtime' }));
    assert.equal(nhnBulkKey(batch), nhnBulkKey({ ...batch, messageId: 'another', to: '01099998888' }));
  });

  it("gives an LMS the message's subject as title", () => {
    const body = nhnSendBody('nhn-sms', textMessage({ channel: 'lms', subject: '배송 안내' }));
    assert.equal(body.title, '배송 안내');
    assert.equal(body.attachFileIdList, undefined);
  });

  it("defaults an LMS title to the body's first line, cut to 40 EUC-KR bytes", () => {
    const firstLine = '가'.repeat(30);
    const body = nhnSendBody('nhn-sms', textMessage({ channel: 'lms', body: `  ${firstLine}\n둘째 줄` }));
    assert.equal(body.title, '가'.repeat(20));
    assert.equal(eucKrByteLength(body.title ?? ''), 40);
  });

  it('attaches file ids to an MMS only', () => {
    assert.deepEqual(nhnSendBody('nhn-sms', textMessage({ channel: 'mms' }), [17, 'abc']).attachFileIdList, [
      17,
      'abc',
    ]);
    assert.equal(nhnSendBody('nhn-sms', textMessage({ channel: 'lms' }), [17]).attachFileIdList, undefined);
  });

  it('fails a message without a sender number for good, before any call', () => {
    const { from: _from, ...withoutFrom } = textMessage();
    assert.throws(
      () => nhnSendBody('nhn-sms', withoutFrom),
      (error: unknown) =>
        (error as { code?: string }).code === 'HERALD_SENDER_NOT_REGISTERED' &&
        (error as { retryable?: boolean }).retryable === false,
    );
  });

  it('cuts text at whole characters', () => {
    assert.equal(cutToEucKrBytes('ab가나', 3), 'ab');
    assert.equal(cutToEucKrBytes('ab가나', 4), 'ab가');
    assert.equal(cutToEucKrBytes('😀abc', 2), '😀');
    assert.equal(cutToEucKrBytes('', 40), '');
  });
});
