import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sensAuthHeaders } from '../../../src/vendors/sens/sens-signature.ts';
import { phoneNumber, type SensSim, SMS_ACCOUNT, startSensSim } from '../../vendors/sens/sens-test-kit.ts';

const MESSAGES = `/sms/v2/services/${SMS_ACCOUNT.serviceId}/messages`;

/** A signed call as SENS' host would receive it, straight to the simulator. */
async function call(sens: SensSim, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sens.sim.url}/sens-sms${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...sensAuthHeaders(SMS_ACCOUNT, 'POST', path),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sms = (count: number) => ({
  type: 'SMS',
  from: '0212345678',
  content: '안내 문자',
  messages: Array.from({ length: count }, () => ({ to: phoneNumber() })),
});

describe('SENS SMS simulator contract', () => {
  let sens: SensSim;
  beforeEach(async () => {
    sens = await startSensSim();
  });
  afterEach(() => sens.close());

  it('takes up to 100 messages in one call with 202 and counts each herald message id', async () => {
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const answer = await call(sens, MESSAGES, sms(100), { 'x-herald-message-id': ids.join(',') });
    assert.equal(answer.status, 202);
    assert.equal(answer.body.statusCode, '202');
    assert.equal(answer.body.statusName, 'success');
    assert.equal(typeof answer.body.requestId, 'string');
    for (const id of [ids[0]!, ids[99]!]) assert.equal(sens.sim.countFor('sens-sms', id), 1);
  });

  it("refuses 101 messages with SENS' error body", async () => {
    const answer = await call(sens, MESSAGES, sms(101));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.status, '400');
    assert.ok(Array.isArray(answer.body.errors));
  });

  it('refuses a subject on an SMS, an LMS subject over 40 bytes and files on an LMS', async () => {
    assert.equal((await call(sens, MESSAGES, { ...sms(1), subject: '제목' })).status, 400);
    const lms = { ...sms(1), type: 'LMS', subject: '가'.repeat(21) };
    assert.equal((await call(sens, MESSAGES, lms)).status, 400);
    assert.equal((await call(sens, MESSAGES, { ...lms, subject: '가'.repeat(20) })).status, 202);
    assert.equal(
      (await call(sens, MESSAGES, { ...lms, subject: '제목', files: [{ fileId: 'x' }] })).status,
      400,
    );
  });

  it('answers 401 the way the gateway does for a wrong signature', async () => {
    const response = await fetch(`${sens.sim.url}/sens-sms${MESSAGES}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...sensAuthHeaders({ ...SMS_ACCOUNT, secretKey: 'wrong' }, 'POST', MESSAGES),
      },
      body: JSON.stringify(sms(1)),
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { errorCode: string; message: string } };
    assert.equal(body.error.errorCode, '200');
    assert.equal(body.error.message, 'Authentication Failed');
  });

  it('checks the signature over the path SENS sees, not the simulator prefix', async () => {
    const response = await fetch(`${sens.sim.url}/sens-sms${MESSAGES}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...sensAuthHeaders(SMS_ACCOUNT, 'POST', `/sens-sms${MESSAGES}`),
      },
      body: JSON.stringify(sms(1)),
    });
    assert.equal(response.status, 401);
  });

  it('keeps an upload 6 days and refuses a name that is not .jpg', async () => {
    const files = `/sms/v2/services/${SMS_ACCOUNT.serviceId}/files`;
    const fileBody = Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64');
    const stored = await call(sens, files, { fileName: 'a.jpg', fileBody });
    assert.equal(stored.status, 200);
    assert.equal(typeof stored.body.fileId, 'string');
    assert.match(String(stored.body.expireTime), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal((await call(sens, files, { fileName: 'a.png', fileBody })).status, 400);
  });
});
