import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:http2';
import { after, afterEach, before, describe, it } from 'node:test';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import { signAssertion } from '../../src/vendors/fcm/oauth-assertion.ts';
import { Http2Pool } from '../../src/vendors/http2/http2-pool.ts';
import { fcmToken, testServiceAccount } from '../vendors/fcm/fcm-test-kit.ts';
import { until } from '../vendors/http2/until.ts';

const FCM = 'fcm';
const SMS = 'sim-sms-a';
const service = testServiceAccount('demo-project');

let sim: SimulatorServer;
let pool: Http2Pool;

async function accessToken(): Promise<string> {
  const tokenUrl = `${sim.url}/oauth2/token`;
  const assertion = await signAssertion(service.account, tokenUrl, Math.floor(Date.now() / 1_000));
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function fcmSend(path: string, message: unknown, token?: string, signal = AbortSignal.timeout(5_000)) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const reply = await pool.request({ path, headers, body: JSON.stringify({ message }), signal });
  return { status: reply.status, headers: reply.headers, body: JSON.parse(reply.body.toString() || 'null') };
}

const SEND_PATH = `/${FCM}/v1/projects/demo-project/messages:send`;

describe('simulator on HTTP/2 (h2c) beside HTTP/1.1', () => {
  before(async () => {
    sim = await startSimulatorServer({
      vendors: { [FCM]: {}, [SMS]: {} },
      pushTrust: { fcm: { [FCM]: service.trust } },
    });
    pool = new Http2Pool({ origin: sim.url });
  });
  afterEach(() => sim.reset());
  after(async () => {
    await pool.close(0);
    await sim.close();
  });

  it('serves both protocols on one port', async () => {
    const stats = await fetch(`${sim.url}/_sim/stats`);
    assert.equal(stats.status, 200);
    const token = await accessToken();
    const answer = await fcmSend(SEND_PATH, { token: fcmToken(), data: { herald_message_id: 'm1' } }, token);
    assert.equal(answer.status, 200);
    assert.match(answer.body.name, /^projects\/demo-project\/messages\/.+/);
    assert.equal(sim.countFor(FCM, 'm1'), 1);
  });

  it('advertises 100 concurrent streams per connection, as FCM does', async () => {
    const session = connect(sim.url);
    const [settings] = (await once(session, 'remoteSettings')) as [{ maxConcurrentStreams?: number }];
    session.close();
    assert.equal(settings.maxConcurrentStreams, 100);
  });

  it('answers 404 on HTTP/2 for an unknown vendor and for a vendor without a push contract', async () => {
    for (const vendorId of ['nope', SMS]) {
      const answer = await fcmSend(`/${vendorId}/v1/projects/demo-project/messages:send`, {});
      assert.equal(answer.status, 404);
      assert.equal(answer.body.code, 'UNKNOWN_VENDOR');
    }
  });

  it('counts a reset of a hung stream as the caller hanging up', async () => {
    sim.setBehaviour(FCM, { hangShare: 1 });
    const token = await accessToken();
    await assert.rejects(fcmSend(SEND_PATH, { token: fcmToken() }, token, AbortSignal.timeout(100)), {
      code: 'ABORT_ERR',
    });
    await until(() => sim.hangUps(FCM) === 1, 'the hang-up');
    assert.equal(sim.stats().vendors[FCM]!.received, 0);
  });

  it('counts sessions and streams, and resets the counts', async () => {
    const token = await accessToken();
    await Promise.all([1, 2, 3].map(() => fcmSend(SEND_PATH, { token: fcmToken() }, token)));
    const stats = sim.h2Stats();
    assert.ok(stats.sessionsOpen >= 1);
    assert.equal(stats.streamsOpened, 3);
    assert.ok(stats.peakConcurrentStreams >= 1 && stats.peakStreamsPerSession <= 100);
    const overHttp = (await (await fetch(`${sim.url}/_sim/h2/stats`)).json()) as { streamsOpened: number };
    assert.equal(overHttp.streamsOpened, 3);
    sim.reset();
    assert.equal(sim.h2Stats().streamsOpened, 0);
  });

  it('sends GOAWAY and drops connections on command, over HTTP too', async () => {
    const token = await accessToken();
    await fcmSend(SEND_PATH, { token: fcmToken() }, token);
    const goaway = (await (await fetch(`${sim.url}/_sim/h2/goaway`, { method: 'POST' })).json()) as {
      sessions: number;
    };
    assert.equal(goaway.sessions, 1);
    assert.equal((await fcmSend(SEND_PATH, { token: fcmToken() }, token)).status, 200);
    const dropped = (await (await fetch(`${sim.url}/_sim/h2/drop`, { method: 'POST' })).json()) as {
      sessions: number;
    };
    assert.ok(dropped.sessions >= 1);
    assert.equal((await fcmSend(SEND_PATH, { token: fcmToken() }, token)).status, 200);
    assert.ok(sim.h2Stats().sessionsOpened >= 2, 'a new session after the GOAWAY and after the drop');
  });

  it('marks tokens dead over HTTP, and forgets them on reset', async () => {
    const token = await accessToken();
    const device = fcmToken();
    const marked = await fetch(`${sim.url}/_sim/vendors/${FCM}/dead-tokens`, {
      method: 'POST',
      body: JSON.stringify({ tokens: [device] }),
    });
    assert.deepEqual(await marked.json(), { marked: 1 });
    const dead = await fcmSend(SEND_PATH, { token: device }, token);
    assert.equal(dead.status, 404);
    assert.equal(dead.body.error.details[0].errorCode, 'UNREGISTERED');
    sim.reset();
    assert.equal((await fcmSend(SEND_PATH, { token: device }, token)).status, 200);
    const bad = await fetch(`${sim.url}/_sim/vendors/${FCM}/dead-tokens`, {
      method: 'POST',
      body: '{"tokens":[1]}',
    });
    assert.equal(bad.status, 400);
    const unknown = await fetch(`${sim.url}/_sim/vendors/nope/dead-tokens`, {
      method: 'POST',
      body: '{"tokens":[]}',
    });
    assert.equal(unknown.status, 404);
  });

  it('revokes access tokens over HTTP: the next send with one is 401', async () => {
    const issued = sim.accessTokensIssued(FCM);
    const token = await accessToken();
    assert.equal(sim.accessTokensIssued(FCM), issued + 1);
    assert.equal((await fcmSend(SEND_PATH, { token: fcmToken() }, token)).status, 200);
    const revoked = await fetch(`${sim.url}/_sim/vendors/${FCM}/revoke-tokens`, { method: 'POST' });
    assert.ok(((await revoked.json()) as { revoked: number }).revoked >= 1);
    const refused = await fcmSend(SEND_PATH, { token: fcmToken() }, token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.status, 'UNAUTHENTICATED');
  });

  it('keeps the generic contract for every vendor on HTTP/1.1', async () => {
    const response = await fetch(`${sim.url}/vendors/${SMS}/messages`, {
      method: 'POST',
      body: JSON.stringify({ messageId: 's1', channel: 'sms', to: '01012345678', body: 'hi' }),
    });
    assert.equal(response.status, 200);
    assert.equal(sim.countFor(SMS, 's1'), 1);
  });

  it('holds at most 100 streams open on one connection', async () => {
    sim.setBehaviour(FCM, { hangShare: 1 });
    const token = await accessToken();
    const session = connect(sim.url);
    session.on('error', () => {});
    await once(session, 'remoteSettings');
    for (let index = 0; index < 101; index += 1) {
      const stream = session.request({
        ':method': 'POST',
        ':path': SEND_PATH,
        authorization: `Bearer ${token}`,
      });
      stream.on('error', () => {});
      stream.end(JSON.stringify({ message: { token: fcmToken() } }));
    }
    await until(() => sim.h2Stats().streamsOpen === 100, '100 streams open');
    assert.equal(sim.h2Stats().peakStreamsPerSession, 100);
    session.destroy();
    await until(() => sim.h2Stats().streamsOpen === 0, 'every stream closed');
  });
});
