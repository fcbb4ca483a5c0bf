import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/child-processes.ts';

/** One line on stderr that says what happened, a non-zero exit, and no stack trace. */
function assertOneLine(result: ReturnType<typeof runCli>, status: number, message: RegExp) {
  assert.equal(result.status, status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /^\s+at /m);
}

/** A TCP port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('CLI expected failures: one line, what to do, non-zero exit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-cli-failure-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('herald is not running', async () => {
    const port = await closedPort();
    const result = runCli(['send', '--to', '01012345678', '--body', 'hi'], {
      HERALD_URL: `http://127.0.0.1:${port}`,
      HERALD_API_KEY: 'hk_any',
    });
    assertOneLine(
      result,
      1,
      new RegExp(`cannot reach herald at http://127.0.0.1:${port} .*ECONNREFUSED.*npm start`),
    );
  });

  it('no API key for herald send', () => {
    const result = runCli(['send', '--to', '01012345678', '--body', 'hi'], {
      HERALD_API_KEY: '',
      HERALD_BOOTSTRAP_API_KEY: '',
    });
    assertOneLine(result, 2, /no API key: set HERALD_API_KEY/);
  });

  it('bad arguments', () => {
    assertOneLine(
      runCli(['send', '--to', '010', '--vars', '{oops', '--key', 'k']),
      2,
      /--vars must be a JSON object/,
    );
    assertOneLine(
      runCli(['send', '--file', join(dataDir, 'missing.json'), '--key', 'k']),
      2,
      /cannot read --file/,
    );
  });

  it('an unknown key id', () => {
    const result = runCli(['keys', 'revoke', 'no-such-key'], { HERALD_DATA_DIR: dataDir });
    assertOneLine(result, 1, /no API key with id no-such-key: `herald keys list` shows the ids/);
  });

  it('the port is in use', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    try {
      const { port } = taken.address() as { port: number };
      const result = runCli(['start'], {
        HERALD_HOST: '127.0.0.1',
        HERALD_PORT: String(port),
        HERALD_DATA_DIR: dataDir,
        HERALD_LOG_LEVEL: 'silent',
        // A bootstrap key, so the first start shows no dev-key notice: stderr holds only the failure.
        HERALD_BOOTSTRAP_API_KEY: 'cli-failure-test-key-0123456789abcdef',
      });
      assertOneLine(result, 1, new RegExp(`127.0.0.1:${port} is already in use .*HERALD_PORT`));
    } finally {
      taken.close();
    }
  });
});
