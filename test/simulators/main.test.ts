import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { runSimulatorProcess, SimulatorUsageError } from '../../src/simulators/main.ts';

const MAIN = new URL('../../src/simulators/main.ts', import.meta.url).pathname;

function startProcess(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

describe('simulator process', () => {
  it('serves every simulator vendor, prints its URL, and exits 0 on SIGTERM', async () => {
    const child = startProcess(['--port', '0', '--latency-ms', '0', '--seed', '7']);
    const exited = once(child, 'exit');
    try {
      const url = /http:\/\/\S+/.exec(await firstLine(child))?.[0];
      assert.ok(url !== undefined, 'the first line carries the URL');
      const stats = (await (await fetch(`${url}/_sim/stats`)).json()) as { vendors: Record<string, unknown> };
      assert.deepEqual(Object.keys(stats.vendors).sort(), Object.keys(SIMULATOR_VENDOR_CHANNELS).sort());
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = await exited;
    assert.equal(signal, null, 'the process handled SIGTERM itself');
    assert.equal(code, 0);
  });

  it('exits 2 with a clear message on a bad flag', async () => {
    const child = startProcess(['--latency-ms', 'fast']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /--latency-ms must be a number/);
  });
});

describe('runSimulatorProcess', () => {
  it('applies the latency flags to every vendor, and lets go of signals once closed', async () => {
    const signalListeners = process.listenerCount('SIGTERM');
    const lines: string[] = [];
    const output = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const server = await runSimulatorProcess(
      ['--port', '0', '--latency-ms', '15', '--error-share', '0.1'],
      output,
    );
    try {
      assert.deepEqual(server.behaviourOf('sens-alimtalk').latency, {
        medianMs: 15,
        p99Ms: 45,
        outlierShare: 0,
        outlierMs: 5_000,
      });
      assert.equal(server.behaviourOf('sim-email').errorShare, 0.1);
      assert.match(lines.join(''), new RegExp(server.url));
    } finally {
      await server.close();
    }
    assert.equal(process.listenerCount('SIGTERM'), signalListeners);
  });

  it('applies the receipt flags to the text vendors, and refuses bad ones', async () => {
    const output = { write: () => true } as unknown as NodeJS.WritableStream;
    const server = await runSimulatorProcess(
      [
        '--port=0',
        '--carrier-mix=SKT=1,KT=1',
        '--undelivered-share=0.5',
        '--result-delay-ms=250',
        '--solapi-webhook-url=http://127.0.0.1:9/solapi',
      ],
      output,
    );
    try {
      assert.deepEqual(server.text.results.mix.carriers, { SKT: 1, KT: 1, 'LGU+': 0, MVNO: 0 });
      assert.equal(server.text.results.mix.undeliveredShare, 0.5);
      assert.equal(server.text.results.resultDelayMs, 250);
      assert.equal(server.text.webhooks.get('solapi-sms'), 'http://127.0.0.1:9/solapi');
    } finally {
      await server.close();
    }
    await assert.rejects(runSimulatorProcess(['--port=0', '--carrier-mix=ABC=1'], output), /--carrier-mix/);
    await assert.rejects(
      runSimulatorProcess(['--port=0', '--undelivered-share=2'], output),
      /undeliveredShare/,
    );
  });

  it('rejects unknown flags with the usage text', async () => {
    await assert.rejects(runSimulatorProcess(['--colour', 'red']), SimulatorUsageError);
    await assert.rejects(runSimulatorProcess(['--port=-1']), /--port must be a whole number/);
  });
});
