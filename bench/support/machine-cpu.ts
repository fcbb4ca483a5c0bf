import { readFileSync } from 'node:fs';

/**
 * Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Linux runs herald on
 * (it is fixed in the kernel's ABI, whatever the kernel's own tick rate).
 */
const TICKS_PER_SECOND = 100;

/**
 * CPU time the whole machine has been busy since boot, seconds: every kind of time in /proc/stat's
 * first line but idle and iowait. The difference of two readings is what every process (herald,
 * Kafka, PostgreSQL, Redis, the bench itself) spent between them, on all cores together.
 */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** User + system CPU time of process `pid` so far, seconds (0 once it has exited). */
export function processCpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface CpuUse {
  /** The whole machine's busy CPU time, seconds per 1,000 messages. */
  readonly machinePer1k: number;
  /** Each watched process's CPU time, seconds per 1,000 messages. */
  readonly processesPer1k: Readonly<Record<string, number>>;
}

/** Starts counting CPU time now; `per1k(messages)` tells what was spent since, per 1,000 messages. */
export function cpuMeter(pids: Readonly<Record<string, number>> = {}): { per1k(messages: number): CpuUse } {
  const machineAtStart = machineBusySeconds();
  const atStart = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]),
  );
  return {
    per1k(messages) {
      const scale = 1_000 / messages;
      return {
        machinePer1k: (machineBusySeconds() - machineAtStart) * scale,
        processesPer1k: Object.fromEntries(
          Object.entries(pids).map(([name, pid]) => [
            name,
            (processCpuSeconds(pid) - atStart[name]!) * scale,
          ]),
        ),
      };
    },
  };
}
