import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuMeter, machineBusySeconds, processCpuSeconds } from '../../../bench/support/machine-cpu.ts';
import { burnCpu } from '../../support/burn-cpu.ts';

describe('machine and process CPU time from /proc', { skip: process.platform !== 'linux' }, () => {
  it("counts this process's CPU time as the kernel does", () => {
    const before = processCpuSeconds(process.pid);
    burnCpu(0.2);
    const spent = processCpuSeconds(process.pid) - before;
    // /proc counts in ticks of 10 ms, process.cpuUsage in microseconds: the two agree to a few ticks.
    assert.ok(spent >= 0.15, `spent ${spent} s`);
  });

  it('a process that is gone has used nothing (not a throw in the middle of a bench)', () => {
    assert.equal(processCpuSeconds(2 ** 31 - 1), 0);
  });

  it("the machine's busy time includes this process's", () => {
    const before = machineBusySeconds();
    burnCpu(0.2);
    assert.ok(machineBusySeconds() - before >= 0.15);
  });

  it('cpuMeter reports per 1,000 messages, the machine and each watched process', () => {
    const meter = cpuMeter({ bench: process.pid });
    burnCpu(0.2);
    const use = meter.per1k(500);
    // 0.2 s for 500 messages = 0.4 s per 1,000.
    assert.ok(use.processesPer1k.bench! >= 0.3, JSON.stringify(use));
    assert.ok(use.machinePer1k >= use.processesPer1k.bench! - 0.05, JSON.stringify(use));
  });
});
