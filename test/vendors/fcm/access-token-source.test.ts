import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { sharedAccessTokenSource } from '../../../src/vendors/fcm/access-token-cache.ts';
import { AccessTokenSource } from '../../../src/vendors/fcm/access-token-source.ts';
import { testServiceAccount } from './fcm-test-kit.ts';

const service = testServiceAccount();
const sims: SimulatorServer[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function simulator(accessTokenTtlSeconds?: number): Promise<SimulatorServer> {
  const sim = await startSimulatorServer({
    vendors: { fcm: {} },
    pushTrust: { fcm: { fcm: service.trust } },
    accessTokenTtlSeconds,
  });
  sims.push(sim);
  return sim;
}

function source(sim: SimulatorServer, account = service.account): AccessTokenSource {
  return new AccessTokenSource({ account, tokenUrl: `${sim.url}/oauth2/token` });
}

const signal = () => AbortSignal.timeout(10_000);

describe('AccessTokenSource', () => {
  it('gets a token once and reuses it', async () => {
    const sim = await simulator();
    const tokens = source(sim);
    const first = await tokens.token(signal());
    assert.match(first, /^ya29\./);
    assert.equal(await tokens.token(signal()), first);
    assert.equal(sim.accessTokensIssued('fcm'), 1);
  });

  it('asks once however many callers wait (single flight)', async () => {
    const sim = await simulator();
    const tokens = source(sim);
    const all = await Promise.all(Array.from({ length: 500 }, () => tokens.token(signal())));
    assert.equal(new Set(all).size, 1);
    assert.equal(sim.accessTokensIssued('fcm'), 1);
  });

  it('replaces the token ahead of its expiry while still handing out the old one', async () => {
    // 2 s tokens: the refresh starts at half life, long before the token expires.
    const sim = await simulator(2);
    const tokens = source(sim);
    const first = await tokens.token(signal());
    await sleep(1_100);
    assert.equal(await tokens.token(signal()), first, 'the old token while the new one comes');
    let latest = first;
    for (let polls = 0; latest === first && polls < 1_000; polls += 1) {
      await sleep(5);
      latest = await tokens.token(signal());
    }
    assert.notEqual(latest, first, 'the refreshed token replaced the old one');
    assert.equal(sim.accessTokensIssued('fcm'), 2);
  });

  it('drops a refused token once: a stale invalidate does not drop its successor', async () => {
    const sim = await simulator();
    const tokens = source(sim);
    const first = await tokens.token(signal());
    tokens.invalidate(first);
    const second = await tokens.token(signal());
    assert.notEqual(second, first);
    tokens.invalidate(first);
    assert.equal(await tokens.token(signal()), second);
    assert.equal(sim.accessTokensIssued('fcm'), 2);
  });

  it('fails as the vendor being unavailable when the grant is refused or the endpoint is down', async () => {
    const sim = await simulator();
    const stranger = testServiceAccount('demo-project').account;
    await assert.rejects(source(sim, stranger).token(signal()), {
      code: 'HERALD_VENDOR_UNAVAILABLE',
      vendorCode: 'invalid_grant',
      vendorFault: true,
      retryable: true,
    });
    const url = sim.url;
    await sim.close();
    const down = new AccessTokenSource({ account: service.account, tokenUrl: `${url}/oauth2/token` });
    await assert.rejects(down.token(signal()), { vendorCode: 'TOKEN_ENDPOINT_UNREACHABLE' });
  });

  it('lets a caller give up waiting without cancelling the refresh for the others', async () => {
    const sim = await simulator();
    const tokens = source(sim);
    const controller = new AbortController();
    const impatient = tokens.token(controller.signal);
    const patient = tokens.token(signal());
    controller.abort(new Error('gave up'));
    await assert.rejects(impatient, { message: 'gave up' });
    assert.match(await patient, /^ya29\./);
  });

  it('is shared per service account and token URL in the process', async () => {
    const a = sharedAccessTokenSource(service.account, 'http://127.0.0.1:1/oauth2/token');
    assert.equal(sharedAccessTokenSource(service.account, 'http://127.0.0.1:1/oauth2/token'), a);
    assert.notEqual(sharedAccessTokenSource(service.account, 'http://127.0.0.1:2/oauth2/token'), a);
  });
});
