import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Child, runCli, spawnHerald } from '../support/child-processes.ts';
import { call, phoneNumbers, TEST_KEY, waitFor } from '../support/herald-harness.ts';
import { makeJpeg } from '../support/jpeg-fixture.ts';
import { registerApprovedTemplateOverHttp } from '../support/templates.ts';

const SMS_VENDORS = ['nhn-sms', 'sens-sms', 'solapi-sms'];
const ALIMTALK_VENDORS = ['nhn-alimtalk', 'sens-alimtalk', 'solapi-alimtalk'];
const TEMPLATE = 'WELCOME_PROCESS';
const BODY = '#{name}님, 가입을 환영합니다.';
// biome-ignore lint/suspicious/noExplicitAny: the test reads herald's JSON answers loosely
type Json = any;

/**
 * The acceptance at the wire: the simulators run as their own process (`herald sim`), herald
 * as another, each vendor in turn takes all of a channel's traffic (weight 100 through
 * PUT /admin/config) and receives the message with what its API demands (NHN's secret key, SENS'
 * and SOLAPI's HMAC signatures: the simulator refuses anything else). A herald holding a wrong
 * secret fails HERALD_VENDOR_AUTH and its breaker takes the vendor out. `herald templates sync`
 * reads the vendors' template lists from the simulator process.
 */
describe('Korean text vendors at a simulator process of their own', () => {
  const root = mkdtempSync(join(tmpdir(), 'herald-text-vendors-'));
  const simCredentials = join(root, 'sim-credentials');
  const children: Child[] = [];
  let sim: Child;
  let herald: Child;
  let clientId: string;
  const heraldEnv = (dataDir: string, credentialsDir: string) => ({
    HERALD_PORT: '0',
    HERALD_DATA_DIR: dataDir,
    HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
    HERALD_SIMULATORS: 'external',
    HERALD_SIMULATOR_URL: sim.url,
    HERALD_SIMULATOR_CREDENTIALS_DIR: credentialsDir,
  });
  const api = (method: string, path: string, body?: unknown) => call(herald.url, method, path, body);
  const simStats = async (): Promise<Record<string, { received: number }>> =>
    ((await (await fetch(`${sim.url}/_sim/stats`)).json()) as Json).vendors;

  before(async () => {
    sim = await spawnHerald(['sim', '--port', '0', '--latency-ms', '1', '--credentials-dir', simCredentials]);
    children.push(sim);
    herald = await spawnHerald(['start'], heraldEnv(join(root, 'herald'), simCredentials));
    children.push(herald);
    clientId = (await api('GET', '/v1/sender-numbers')).body.clientId;
  });
  after(async () => {
    await Promise.all(children.map((child) => child.kill()));
    rmSync(root, { recursive: true, force: true });
  });

  /** Routes `channels` to `vendor` alone (the others at weight 0, the kill switch). */
  async function routeAllTo(
    url: string,
    channels: readonly string[],
    vendor: string,
    ids: readonly string[],
  ) {
    const current = await call(url, 'GET', '/admin/config');
    const document = structuredClone(current.body.document);
    for (const channel of channels) {
      document.routing[channel] = ids.map((id) => ({ vendor: id, weight: id === vendor ? 100 : 0 }));
    }
    const put = await call(url, 'PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
  }

  async function sentThrough(request: Json, vendor: string): Promise<Json> {
    assert.equal(request.status, 202, JSON.stringify(request.body));
    return waitFor(
      async () => {
        const view = (await api('GET', `/v1/requests/${request.body.requestId}`)).body;
        const [message] = view.messages;
        if (message.status === 'failed') assert.fail(`${vendor}: ${JSON.stringify(message.error)}`);
        return message.status === 'sent' || message.status === 'delivered' ? message : undefined;
      },
      30_000,
      `a message sent through ${vendor}`,
    );
  }

  it('sends SMS, LMS and MMS through each SMS vendor, signed as that vendor demands', async () => {
    const image = Buffer.from(makeJpeg({ width: 640, height: 480, bytes: 100 * 1024 })).toString('base64');
    const requests = {
      sms: { content: { body: '인증번호 123456' } },
      lms: { content: { subject: '안내', body: `긴 안내문 ${'가'.repeat(60)}` } },
      mms: { content: { subject: '쿠폰', body: '쿠폰이 도착했습니다', images: [{ base64: image }] } },
    } as const;
    let offset = 0;
    for (const vendor of SMS_VENDORS) {
      await routeAllTo(herald.url, ['sms', 'lms', 'mms'], vendor, SMS_VENDORS);
      for (const [channel, body] of Object.entries(requests)) {
        const before = (await simStats())[vendor]!.received;
        const to = phoneNumbers(1, 3_000_000 + offset++);
        const request = await api('POST', '/v1/messages', {
          channel,
          lane: 'realtime',
          ...body,
          recipients: to.map((number) => ({ to: number })),
        });
        const message = await sentThrough(request, vendor);
        assert.equal(message.vendor, vendor, channel);
        assert.equal((await simStats())[vendor]!.received, before + 1, `${channel} reached ${vendor}`);
      }
    }
  });

  it('sends an AlimTalk through each AlimTalk vendor with its template and the channel there', async () => {
    await registerApprovedTemplateOverHttp((method, path, body) => api(method, path, body), {
      clientId,
      code: TEMPLATE,
      body: BODY,
    });
    const [channel] = (await api('GET', '/v1/kakao-channels')).body.channels;
    for (const vendor of ALIMTALK_VENDORS) {
      const put = await fetch(`${sim.url}/_sim/vendors/${vendor}/templates/${TEMPLATE}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ senderId: channel.senderIds[vendor], body: BODY, state: 'approved' }),
      });
      assert.equal(put.status, 200);
    }
    let offset = 0;
    for (const vendor of ALIMTALK_VENDORS) {
      await routeAllTo(herald.url, ['alimtalk'], vendor, ALIMTALK_VENDORS);
      const before = (await simStats())[vendor]!.received;
      const request = await api('POST', '/v1/messages', {
        channel: 'alimtalk',
        lane: 'realtime',
        template: { code: TEMPLATE, vars: { name: '김민수' } },
        recipients: [{ to: phoneNumbers(1, 3_100_000 + offset++)[0] }],
      });
      const message = await sentThrough(request, vendor);
      assert.equal(message.vendor, vendor);
      assert.equal((await simStats())[vendor]!.received, before + 1);
    }
  });

  it('herald templates sync shows a review changed at one vendor on a dry run, and applies it without', async () => {
    const put = await fetch(`${sim.url}/_sim/vendors/sens-alimtalk/templates/${TEMPLATE}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'rejected', rejectedReason: '변수 과다' }),
    });
    assert.equal(put.status, 200);
    const env = heraldEnv(join(root, 'herald'), simCredentials);
    const dryRun = runCli(['templates', 'sync', '--dry-run', '--json'], env);
    assert.equal(dryRun.status, 0, dryRun.stderr);
    const summary = JSON.parse(dryRun.stdout);
    const change = summary.differences.find(
      (d: Json) => d.vendorId === 'sens-alimtalk' && d.code === TEMPLATE && d.kind === 'state-changed',
    );
    assert.ok(change, dryRun.stdout);
    assert.match(change.detail, /approved -> rejected/);
    assert.equal(change.applied, false);
    const before = await api('GET', `/admin/templates/${TEMPLATE}?clientId=${clientId}`);
    assert.equal(before.body.vendors['sens-alimtalk'].state, 'approved');

    const applied = runCli(['templates', 'sync', '--json'], env);
    assert.equal(applied.status, 0, applied.stderr);
    const after = await api('GET', `/admin/templates/${TEMPLATE}?clientId=${clientId}`);
    assert.equal(after.body.vendors['sens-alimtalk'].state, 'rejected');
    assert.equal(after.body.vendors['nhn-alimtalk'].state, 'approved');
  });

  it('fails HERALD_VENDOR_AUTH with a wrong secret, and the breaker takes the vendor out', async () => {
    // A second herald whose copy of nhn-sms's account holds another secret key.
    const wrongCredentials = join(root, 'wrong-credentials');
    cpSync(simCredentials, wrongCredentials, { recursive: true });
    const file = join(wrongCredentials, 'nhn-sms.json');
    const account = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...account, secret: 'WrOnG123' }), { mode: 0o600 });
    const wrong = await spawnHerald(['start'], heraldEnv(join(root, 'wrong'), wrongCredentials));
    children.push(wrong);
    await routeAllTo(wrong.url, ['sms'], 'nhn-sms', SMS_VENDORS);
    const failed: Json[] = [];
    // One at a time: each call's outcome reaches the breaker before the next is routed.
    for (let i = 0; i < 8; i++) {
      const request = await call(wrong.url, 'POST', '/v1/messages', {
        channel: 'sms',
        lane: 'realtime',
        content: { body: '인증번호 654321' },
        recipients: [{ to: phoneNumbers(1, 3_200_000 + i)[0] }],
      });
      assert.equal(request.status, 202);
      failed.push(
        await waitFor(
          async () => {
            const [message] = (await call(wrong.url, 'GET', `/v1/requests/${request.body.requestId}`)).body
              .messages;
            return ['failed', 'retrying'].includes(message.status) ? message : undefined;
          },
          30_000,
          'the message refused or waiting for a vendor',
        ),
      );
    }
    const auth = failed.filter((m) => m.status === 'failed' && m.error.code === 'HERALD_VENDOR_AUTH');
    assert.ok(
      auth.length >= 5,
      `the first calls fail for good: ${JSON.stringify(failed.map((m) => m.error))}`,
    );
    assert.equal(auth[0].vendor, 'nhn-sms');
    const last = failed.at(-1);
    assert.equal(last.status, 'retrying', 'with the breaker open, no vendor is left for sms');
    assert.equal(last.error.code, 'HERALD_NO_VENDOR');
  });
});
