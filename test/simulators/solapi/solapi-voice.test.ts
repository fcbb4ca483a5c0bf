import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { SolapiAccount } from '../../../src/vendors/solapi/solapi-api.ts';
import { solapiAuthorization } from '../../../src/vendors/solapi/solapi-auth.ts';
import { solapiAccount, solapiSimulator } from '../../vendors/solapi/solapi-test-kit.ts';

interface Listed {
  readonly messageId: string;
  readonly statusCode: string;
  readonly statusMessage?: string;
  readonly type: string;
  readonly customFields: Record<string, string>;
}

interface SolapiBody {
  readonly failedMessageList: Listed[];
  readonly messageList: Listed[] & Record<string, Listed>;
}

/** The SOLAPI simulator's VOICE messages: voiceOptions checked as SOLAPI's SDKs document them. */
describe('SOLAPI simulator: VOICE messages', () => {
  let sim: SimulatorServer;
  let account: SolapiAccount;
  const send = async (messages: unknown[]) => {
    const response = await fetch(`${sim.url}/solapi-vms/messages/v4/send-many/detail`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: solapiAuthorization(account.apiKey, account.apiSecret),
      },
      body: JSON.stringify({ showMessageList: true, messages }),
    });
    return { status: response.status, body: (await response.json()) as SolapiBody };
  };
  const voice = (id: string, voiceOptions: unknown, extra: Record<string, unknown> = {}) => ({
    to: '01012345678',
    from: '0212345678',
    text: '주문하신 상품이 내일 도착합니다',
    type: 'VOICE',
    customFields: { heraldMessageId: id },
    ...(voiceOptions === undefined ? {} : { voiceOptions }),
    ...extra,
  });

  before(async () => {
    account = solapiAccount();
    sim = await solapiSimulator(account);
  });
  beforeEach(() => sim.reset());
  after(() => sim.close());

  it('takes a VOICE message with voiceType, header, tail and a reply range, counted under solapi-vms', async () => {
    const { status, body } = await send([
      voice('ok', {
        voiceType: 'FEMALE',
        headerMessage: '헤럴드에서 알려 드립니다',
        tailMessage: '감사합니다',
        replyRange: 9,
      }),
      voice('counselor', { voiceType: 'MALE', counselorNumber: '0293022266' }),
    ]);
    assert.equal(status, 200);
    assert.deepEqual(body.failedMessageList, []);
    assert.deepEqual(
      body.messageList.map((m) => [m.customFields.heraldMessageId, m.statusCode]),
      [
        ['ok', '2000'],
        ['counselor', '2000'],
      ],
    );
    assert.equal(sim.countFor('solapi-vms', 'ok'), 1);
    const look = await fetch(
      `${sim.url}/solapi-vms/messages/v4/list?messageId=${body.messageList[0]!.messageId}`,
      { headers: { authorization: solapiAuthorization(account.apiKey, account.apiSecret) } },
    );
    const listed = (await look.json()) as SolapiBody;
    assert.equal(listed.messageList[body.messageList[0]!.messageId]?.type, 'VOICE');
  });

  it('refuses what SOLAPI refuses: no voiceType (1010), a bad option (1011), an unregistered sender (1062)', async () => {
    sim.text.senderNumbers.set('solapi-vms', ['0212345678']);
    const { body } = await send([
      voice('none', undefined),
      voice('no-type', { headerMessage: '안내' }),
      voice('child', { voiceType: 'CHILD' }),
      voice('long-header', { voiceType: 'FEMALE', headerMessage: '가'.repeat(136) }),
      voice('long-tail', { voiceType: 'FEMALE', headerMessage: '안내', tailMessage: '가'.repeat(136) }),
      voice('range', { voiceType: 'FEMALE', replyRange: 10 }),
      voice('both', { voiceType: 'FEMALE', replyRange: 1, counselorNumber: '0293022266' }),
      voice('no-text', { voiceType: 'FEMALE' }, { text: '' }),
      voice('sender', { voiceType: 'FEMALE' }, { from: '0299998888' }),
      voice('header-135', { voiceType: 'FEMALE', headerMessage: '가'.repeat(135) }),
    ]);
    assert.deepEqual(
      body.failedMessageList.map((m) => [m.customFields.heraldMessageId, m.statusCode]),
      [
        ['none', '1010'],
        ['no-type', '1010'],
        ['child', '1011'],
        ['long-header', '1011'],
        ['long-tail', '1011'],
        ['range', '1011'],
        ['both', '1011'],
        ['no-text', '1010'],
        ['sender', '1062'],
      ],
    );
    assert.deepEqual(
      body.messageList.map((m) => m.customFields.heraldMessageId),
      ['header-135'],
    );
    assert.equal(sim.countFor('solapi-vms', 'child'), 0);
  });
});
