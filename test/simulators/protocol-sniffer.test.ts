import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';

let sim: SimulatorServer;

/** Writes `parts` to a raw socket with pauses between them, and returns the first line answered. */
async function rawRequest(parts: string[]): Promise<string> {
  const socket = connect(sim.port, '127.0.0.1');
  await once(socket, 'connect');
  for (const part of parts) {
    socket.write(part);
    await sleep(20);
  }
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return chunk.toString('latin1').split('\r\n', 1)[0]!;
}

describe('protocol sniffing on the simulator port', () => {
  before(async () => {
    sim = await startSimulatorServer({ vendors: { 'sim-sms-a': {} } });
  });
  after(() => sim.close());

  it('waits for enough bytes: a first byte shared by PRI and PUT still makes HTTP/1.1', async () => {
    const request = 'UT /_sim/vendors/sim-sms-a/behaviour HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}';
    assert.equal(await rawRequest(['P', request]), 'HTTP/1.1 200 OK');
  });

  it('takes HTTP/1.1 whose request line arrives byte by byte', async () => {
    const line = 'GET /_sim/stats HTTP/1.1\r\nHost: x\r\n\r\n';
    assert.equal(await rawRequest([...line.slice(0, 4)].concat(line.slice(4))), 'HTTP/1.1 200 OK');
  });

  it('throws typed errors for controls on a vendor it does not host', () => {
    assert.throws(() => sim.markTokensDead('nope', ['t']), { name: 'UnknownVendorError' });
    assert.throws(() => sim.revokeAccessTokens('nope'), { name: 'UnknownVendorError' });
  });
});
