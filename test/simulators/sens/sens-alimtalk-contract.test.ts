import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sensAuthHeaders } from '../../../src/vendors/sens/sens-signature.ts';
import {
  ALIMTALK_ACCOUNT,
  CHANNEL,
  phoneNumber,
  type SensSim,
  startSensSim,
  TEMPLATE,
} from '../../vendors/sens/sens-test-kit.ts';

const SERVICE = `/alimtalk/v2/services/${ALIMTALK_ACCOUNT.serviceId}`;

async function call(
  sens: SensSim,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${sens.sim.url}/sens-alimtalk${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...sensAuthHeaders(ALIMTALK_ACCOUNT, method, path),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const content = (name: string) => TEMPLATE.body.replace('#{name}', name);

describe('SENS AlimTalk simulator contract', () => {
  let sens: SensSim;
  beforeEach(async () => {
    sens = await startSensSim();
  });
  afterEach(() => sens.close());

  it('answers 202 with a result per message, counts each herald id and records Kakao outcomes', async () => {
    const numbers = [phoneNumber(), phoneNumber(), phoneNumber()];
    sens.sim.text.kakao.mark([numbers[1]!], '3019');
    const ids = numbers.map(() => randomUUID());
    const answer = await call(
      sens,
      'POST',
      `${SERVICE}/messages`,
      {
        plusFriendId: CHANNEL,
        templateCode: TEMPLATE.code,
        messages: numbers.map((to) => ({ to, content: content('민지') })),
      },
      { 'x-herald-message-id': ids.join(',') },
    );
    assert.equal(answer.status, 202);
    const messages = answer.body.messages as { messageId: string; requestStatusCode: string }[];
    assert.deepEqual(
      messages.map((m) => m.requestStatusCode),
      ['A000', 'A000', 'A000'],
    );
    for (const id of ids) assert.equal(sens.sim.countFor('sens-alimtalk', id), 1);
    const lookUp = await call(sens, 'GET', `${SERVICE}/messages/${messages[1]!.messageId}`);
    assert.equal(lookUp.body.messageStatusCode, '3019');
    assert.equal(sens.sim.text.results.get('sens-alimtalk', messages[1]!.messageId)?.messageId, ids[1]);
  });

  it('refuses 101 messages and a content that is not the template filled in', async () => {
    const messages = Array.from({ length: 101 }, () => ({ to: phoneNumber(), content: content('A') }));
    const body = { plusFriendId: CHANNEL, templateCode: TEMPLATE.code, messages };
    assert.equal((await call(sens, 'POST', `${SERVICE}/messages`, body)).status, 400);
    const wrong = { ...body, messages: [{ to: phoneNumber(), content: `${content('A')} 추가` }] };
    const answer = await call(sens, 'POST', `${SERVICE}/messages`, wrong);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.status, '400');
  });

  it('answers 404 for a message id it never sent, and 400 for a template list without channelId', async () => {
    assert.equal((await call(sens, 'GET', `${SERVICE}/messages/nope`)).status, 404);
    assert.equal((await call(sens, 'GET', `${SERVICE}/templates`)).status, 400);
  });

  it('refuses a template code the channel already has', async () => {
    const body = { channelId: CHANNEL, templateCode: TEMPLATE.code, templateName: 'x', content: 'y' };
    assert.equal((await call(sens, 'POST', `${SERVICE}/templates`, body)).status, 400);
  });

  it('refuses the SMS service id on the AlimTalk API', async () => {
    const path = '/alimtalk/v2/services/ncp:sms:kr:123456789012:herald/messages';
    const response = await fetch(`${sens.sim.url}/sens-alimtalk${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sensAuthHeaders(ALIMTALK_ACCOUNT, 'POST', path) },
      body: '{}',
    });
    assert.equal(response.status, 403);
  });
});
