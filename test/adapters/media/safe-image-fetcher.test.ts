import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressPolicy } from '../../../src/adapters/media/address-policy.ts';
import { publicUnicastOnly } from '../../../src/adapters/media/address-policy.ts';
import type { SafeImageFetcherOptions } from '../../../src/adapters/media/safe-image-fetcher.ts';
import { SafeImageFetcher } from '../../../src/adapters/media/safe-image-fetcher.ts';
import { isHeraldError } from '../../../src/core/domain/errors.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';

/**
 * The SSRF guard against a real TLS server on loopback. The name `images.test` is answered by an
 * injected resolver, and the certificate is the test's own (trusted by injection); the guard's
 * default address policy refuses loopback, so the tests that need to reach the server pass a
 * policy allowing exactly 127.0.0.1, in code, as a deployment never could.
 */
const HOST = 'images.test';
const JPEG = makeJpeg({ width: 640, height: 480, bytes: 20_000 });

type Route = (request: IncomingMessage, response: ServerResponse) => void;
const routes: Record<string, Route> = {
  '/ok.jpg': (_, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG),
  '/redirect.jpg': (_, res) => res.writeHead(302, { location: `https://${HOST}/ok.jpg` }).end(),
  '/missing.jpg': (_, res) => res.writeHead(404).end(),
  '/declared-large.jpg': (_, res) => res.writeHead(200, { 'content-length': String(400 * 1024) }).end(),
  // No Content-Length (chunked): the size is only learnt while it streams.
  '/streamed-large.jpg': (_, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    for (let i = 0; i < 40; i++) res.write(Buffer.alloc(10 * 1024, 1));
    res.end();
  },
  // Headers, a first chunk, then nothing: only the time limit ends it.
  '/slow.jpg': (_, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.write(JPEG.subarray(0, 100));
  },
  '/silent.jpg': () => {},
};

let dir: string;
let server: Server;
let port: number;
let cert: string;
const requested: string[] = [];
let connections = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'herald-image-fetch-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${HOST}`,
      '-addext',
      `subjectAltName=DNS:${HOST}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (request, response) => {
    requested.push(request.url ?? '');
    (routes[request.url ?? ''] ?? ((_, res) => res.writeHead(404).end()))(request, response);
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const loopbackAllowed: AddressPolicy = (address) =>
  address === '127.0.0.1' ? undefined : publicUnicastOnly(address);

function fetcher(options: SafeImageFetcherOptions = {}): SafeImageFetcher {
  return new SafeImageFetcher({
    resolve: async () => [{ address: '127.0.0.1' }],
    addressPolicy: loopbackAllowed,
    ca: cert,
    ...options,
  });
}

const at = (path: string) => new URL(`https://${HOST}:${port}${path}`);

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    assert.ok(isHeraldError(error), String(error));
    assert.equal(error.code, 'HERALD_IMAGE_FETCH_FAILED');
    assert.equal(error.retryable, false);
    return error.message;
  }
  assert.fail('expected HERALD_IMAGE_FETCH_FAILED');
}

describe('SafeImageFetcher', () => {
  it('fetches a JPEG from a checked address, verifying the certificate against the host name', async () => {
    const bytes = await fetcher().fetchImage(at('/ok.jpg'));
    assert.deepEqual(new Uint8Array(bytes), JPEG);
  });

  it('refuses a name that resolves to loopback with the default policy, without connecting', async () => {
    const before = connections;
    const guard = new SafeImageFetcher({ resolve: async () => [{ address: '127.0.0.1' }], ca: cert });
    assert.match(await refusal(guard.fetchImage(at('/ok.jpg'))), /loopback/);
    assert.equal(connections, before);
  });

  it('refuses a name the system resolver answers with loopback (localhost), with no injection at all', async () => {
    const before = connections;
    const guard = new SafeImageFetcher();
    assert.match(await refusal(guard.fetchImage(new URL(`https://localhost:${port}/ok.jpg`))), /loopback/);
    assert.equal(connections, before);
  });

  it('refuses when any one of the addresses is private, link-local, CGNAT or a mapped private address', async () => {
    const before = connections;
    for (const bad of ['10.1.2.3', '169.254.169.254', '100.64.0.1', '::ffff:192.168.0.1', 'fd00::1', '::']) {
      const guard = new SafeImageFetcher({
        resolve: async () => [{ address: '93.184.216.34' }, { address: bad }],
        ca: cert,
      });
      await refusal(guard.fetchImage(at('/ok.jpg')));
    }
    assert.equal(connections, before);
  });

  it('refuses an IP literal URL on a private address without resolving or connecting', async () => {
    const before = connections;
    let resolved = false;
    const resolve = async () => {
      resolved = true;
      return [];
    };
    const guard = new SafeImageFetcher({ resolve, ca: cert });
    assert.match(await refusal(guard.fetchImage(new URL(`https://127.0.0.1:${port}/ok.jpg`))), /loopback/);
    assert.match(await refusal(guard.fetchImage(new URL(`https://[::1]:${port}/ok.jpg`))), /loopback/);
    assert.equal(resolved, false);
    assert.equal(connections, before);
  });

  it('connects to the checked address only: a certificate for another name is refused', async () => {
    // The resolver says the host is 127.0.0.1, the server there proves images.test, not other.test.
    assert.match(
      await refusal(fetcher().fetchImage(new URL(`https://other.test:${port}/ok.jpg`))),
      /ERR_TLS|CERT/,
    );
  });

  it('does not follow a redirect', async () => {
    const from = requested.length;
    assert.match(await refusal(fetcher().fetchImage(at('/redirect.jpg'))), /302.*redirects are not followed/);
    assert.deepEqual(requested.slice(from), ['/redirect.jpg']);
  });

  it('refuses an answer that is not 200', async () => {
    assert.match(await refusal(fetcher().fetchImage(at('/missing.jpg'))), /404/);
  });

  it('refuses a declared Content-Length over the limit and cuts a streamed body past it', async () => {
    assert.match(await refusal(fetcher().fetchImage(at('/declared-large.jpg'))), /400 KB.*at most 300 KB/);
    assert.match(await refusal(fetcher().fetchImage(at('/streamed-large.jpg'))), /over 300 KB.*cut/);
  });

  it('cuts a body that stops coming and a server that never answers, at the time limit', async () => {
    const quick = fetcher({ timeLimitMs: 300 });
    assert.match(await refusal(quick.fetchImage(at('/slow.jpg'))), /no complete answer within 300 ms/);
    assert.match(await refusal(quick.fetchImage(at('/silent.jpg'))), /no complete answer within 300 ms/);
  });

  it('cuts a resolver that never answers, at the time limit', async () => {
    const stuck = fetcher({ timeLimitMs: 200, resolve: () => new Promise(() => {}) });
    assert.match(await refusal(stuck.fetchImage(at('/ok.jpg'))), /no complete answer/);
  });

  it('fetches nothing but https', async () => {
    assert.match(await refusal(fetcher().fetchImage(new URL(`http://${HOST}:${port}/ok.jpg`))), /https/);
  });
});

describe('publicUnicastOnly', () => {
  it('takes public unicast addresses and refuses every other range, mapped forms included', () => {
    for (const ok of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888'])
      assert.equal(publicUnicastOnly(ok), undefined);
    const refused = {
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '::ffff:127.0.0.1': 'loopback',
      '10.0.0.1': 'private',
      '172.16.0.1': 'private',
      '192.168.1.1': 'private',
      '::ffff:10.0.0.1': 'private',
      'fc00::1': 'uniqueLocal',
      '169.254.169.254': 'linkLocal',
      'fe80::1': 'linkLocal',
      '100.64.0.1': 'carrierGradeNat',
      '224.0.0.1': 'multicast',
      'ff02::1': 'multicast',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '255.255.255.255': 'broadcast',
      '64:ff9b::7f00:1': 'rfc6052',
      '2002:7f00:1::1': '6to4',
    };
    for (const [address, range] of Object.entries(refused)) {
      assert.equal(publicUnicastOnly(address), `is a ${range} address`, address);
    }
    assert.equal(publicUnicastOnly('not-an-ip'), 'is not an IP address');
  });
});
