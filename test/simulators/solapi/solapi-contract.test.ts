import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { SolapiAccount } from '../../../src/vendors/solapi/solapi-api.ts';
import {
  formatSolapiAuthorization,
  solapiAuthorization,
  solapiDate,
  solapiSalt,
  solapiSignature,
} from '../../../src/vendors/solapi/solapi-auth.ts';
import {
  PF_ID,
  registerTemplate,
  solapiAccount,
  solapiSimulator,
} from '../../vendors/solapi/solapi-test-kit.ts';

interface Listed {
  readonly messageId: string;
  readonly statusCode: string;
  readonly type: string;
  readonly customFields: Record<string, string>;
}

/** The parts of SOLAPI's answers these tests read. */
interface SolapiBody {
  readonly errorCode?: string;
  readonly failedMessageList: Listed[];
  readonly messageList: Listed[] & Record<string, Listed>;
  readonly groupInfo: { groupId: string; count: { total: number; registeredFailed: number } };
}

describe('SOLAPI simulator contract', () => {
  let sim: SimulatorServer;
  let account: SolapiAccount;
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; authorization?: string } = {},
  ) => {
    const response = await fetch(`${sim.url}/solapi-sms${path}`, {
      method: init.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: init.authorization ?? solapiAuthorization(account.apiKey, account.apiSecret),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as SolapiBody };
  };
  const sms = (to: string, extra: Record<string, unknown> = {}) => ({
    to,
    from: '0212345678',
    text: '안녕하세요',
    type: 'SMS',
    ...extra,
  });

  before(async () => {
    account = solapiAccount();
    sim = await solapiSimulator(account);
  });
  beforeEach(() => {
    sim.reset();
    registerTemplate(sim, 'solapi-sms');
  });
  after(() => sim.close());

  it("refuses a wrong key, a wrong signature, a skewed date and a reused signature with SOLAPI's 403s", async () => {
    const path = '/messages/v4/send-many/detail';
    const body = { messages: [sms('01012345678')] };
    const wrongKey = await call(path, {
      body,
      authorization: solapiAuthorization('NCSWRONGKEY00000', account.apiSecret),
    });
    assert.deepEqual([wrongKey.status, wrongKey.body.errorCode], [403, 'InvalidAPIKey']);
    const wrongSecret = await call(path, {
      body,
      authorization: solapiAuthorization(account.apiKey, 'not-the-secret'),
    });
    assert.deepEqual([wrongSecret.status, wrongSecret.body.errorCode], [403, 'SignatureDoesNotMatch']);
    const skewed = await call(path, {
      body,
      authorization: solapiAuthorization(account.apiKey, account.apiSecret, Date.now() - 16 * 60_000),
    });
    assert.deepEqual([skewed.status, skewed.body.errorCode], [403, 'RequestTimeTooSkewed']);
    const date = solapiDate(Date.now());
    const salt = solapiSalt();
    const header = formatSolapiAuthorization({
      apiKey: account.apiKey,
      date,
      salt,
      signature: solapiSignature(account.apiSecret, date, salt),
    });
    assert.equal((await call(path, { body, authorization: header })).status, 200);
    const reused = await call(path, { body, authorization: header });
    assert.deepEqual([reused.status, reused.body.errorCode], [403, 'DuplicatedSignature']);
    const missing = await call(path, { body, authorization: 'Basic abc' });
    assert.equal(missing.status, 403);
  });

  it('takes several messages in one call and lists each refusal in failedMessageList', async () => {
    sim.text.senderNumbers.set('solapi-sms', ['0212345678']);
    const { status, body } = await call('/messages/v4/send-many/detail', {
      body: {
        showMessageList: true,
        messages: [
          sms('01011112222', { customFields: { heraldMessageId: 'a' } }),
          sms('01033334444', { from: '0299998888', customFields: { heraldMessageId: 'b' } }),
          sms('01055556666', { subject: '제목', customFields: { heraldMessageId: 'c' } }),
          {
            to: '01077778888',
            from: '0212345678',
            text: '가'.repeat(100),
            customFields: { heraldMessageId: 'd' },
          },
        ],
      },
    });
    assert.equal(status, 200);
    assert.deepEqual(
      body.failedMessageList.map((failed: Listed) => [
        failed.customFields.heraldMessageId,
        failed.statusCode,
      ]),
      [
        ['b', '1062'],
        ['c', '1013'],
      ],
    );
    assert.deepEqual(
      body.messageList.map((item: Listed) => [item.customFields.heraldMessageId, item.statusCode]),
      [
        ['a', '2000'],
        ['d', '2000'],
      ],
    );
    assert.equal(body.groupInfo.count.total, 4);
    assert.equal(body.groupInfo.count.registeredFailed, 2);
    assert.match(body.groupInfo.groupId, /^G4V\d{14}[A-Z0-9]{15}$/);
    assert.equal(sim.countFor('solapi-sms', 'a'), 1);
    assert.equal(sim.countFor('solapi-sms', 'b'), 0);
  });

  it('answers the message list look-up in both query forms, and nothing for a message it does not hold', async () => {
    sim.text.kakao.mark(['01099990000'], '3019');
    const sent = await call('/messages/v4/send-many/detail', {
      body: {
        showMessageList: true,
        messages: [
          {
            to: '01099990000',
            type: 'ATA',
            kakaoOptions: {
              pfId: PF_ID,
              templateId: 'KA01TP200101000000000herald',
              variables: { '#{name}': '홍길동' },
              disableSms: true,
            },
          },
        ],
      },
    });
    const messageId = sent.body.messageList[0]!.messageId;
    const byId = await call(`/messages/v4/list?messageId=${messageId}`, { method: 'GET' });
    assert.equal(byId.body.messageList[messageId]?.statusCode, '3104');
    const byCriteria = await call(`/messages/v4/list?criteria=messageId&cond=eq&value=${messageId}`, {
      method: 'GET',
    });
    assert.equal(byCriteria.body.messageList[messageId]?.type, 'ATA');
    const unknown = await call('/messages/v4/list?messageId=M4V00000000000000NOTKNOWN000000', {
      method: 'GET',
    });
    assert.deepEqual(unknown.body.messageList, {});
  });

  it('stores JPEG MMS images only, and refuses an MMS naming an unknown image (1034)', async () => {
    const png = await call('/storage/v1/files', {
      body: { file: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), type: 'MMS', name: 'a.png' },
    });
    assert.deepEqual([png.status, png.body.errorCode], [400, 'ValidationError']);
    const unknown = await call('/messages/v4/send-many/detail', {
      body: { messages: [sms('01012345678', { type: 'MMS', subject: '사진', imageId: 'nope' })] },
    });
    assert.equal(unknown.body.failedMessageList[0]?.statusCode, '1034');
  });

  it('answers 404 with an error body for a path SOLAPI does not serve', async () => {
    const { status, body } = await call('/messages/v3/send');
    assert.deepEqual([status, body.errorCode], [404, 'NotFound']);
  });
});
