import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where a process's time went while the machine was busy: on a CPU, or runnable and waiting for
 * one. Linux keeps both per thread in /proc/<pid>/task/<tid>/schedstat (nanoseconds on the CPU,
 * nanoseconds waiting on a run queue, timeslices). On 2 cores shared by herald, Kafka, Redis,
 * PostgreSQL and the bench, a round trip to Redis or Kafka is slow when the server has its answer
 * ready and waits for a core to send it: a CPU profile cannot show that (the waiting process is
 * not running), the run-queue wait does.
 */
export interface Scheduling {
  /** Seconds its threads ran on a CPU. */
  readonly onCpuSeconds: number;
  /** Seconds its threads were runnable but waited for a CPU. */
  readonly runQueueSeconds: number;
}

/**
 * Processes to watch together, all their threads or those whose name (`comm`: a worker thread's
 * `name`, `MainThread`...) `threads` accepts.
 */
export interface Watched {
  readonly pids: readonly number[];
  readonly threads?: (name: string) => boolean;
}

/** Sum over the watched threads; a process or thread gone in between counts nothing. */
export function schedulingOf(watched: Watched): Scheduling {
  let onCpu = 0;
  let waiting = 0;
  for (const thread of threadsOf(watched).values()) {
    onCpu += thread.onCpuNs;
    waiting += thread.waitingNs;
  }
  return { onCpuSeconds: onCpu / 1e9, runQueueSeconds: waiting / 1e9 };
}

interface ThreadTimes {
  readonly onCpuNs: number;
  readonly waitingNs: number;
}

/** Each watched thread's times so far, by `pid/tid`. */
function threadsOf(watched: Watched): Map<string, ThreadTimes> {
  const threads = new Map<string, ThreadTimes>();
  for (const pid of watched.pids) {
    for (const tid of list(`/proc/${pid}/task`)) {
      const name = watched.threads && read(`/proc/${pid}/task/${tid}/comm`)?.trim();
      if (watched.threads && (name === undefined || !watched.threads(name))) continue;
      const fields = read(`/proc/${pid}/task/${tid}/schedstat`)?.trim().split(' ');
      if (fields === undefined || fields.length < 2) continue;
      threads.set(`${pid}/${tid}`, { onCpuNs: Number(fields[0]), waitingNs: Number(fields[1]) });
    }
  }
  return threads;
}

/**
 * The shared services' processes on this machine, by name: Kafka's broker (a JVM whose command line
 * names kafka.Kafka), Redis and PostgreSQL (the server and all its backends). A service not found
 * is left out.
 */
export function servicePids(): Record<string, Watched> {
  const found = new Map<string, number[]>();
  for (const entry of list('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = serviceOf(entry);
    if (name !== undefined) found.set(name, [...(found.get(name) ?? []), Number(entry)]);
  }
  return Object.fromEntries([...found].map(([name, pids]) => [name, { pids }]));
}

function serviceOf(pid: string): string | undefined {
  const comm = read(`/proc/${pid}/comm`)?.trim();
  if (comm === 'redis-server') return 'redis';
  if (comm === 'postgres') return 'postgres';
  if (comm === 'java' && read(`/proc/${pid}/cmdline`)?.includes('kafka.Kafka')) return 'kafka';
  return undefined;
}

export interface SchedulingShare {
  /** CPU time over the stretch's wall time: 1.0 = one core all along. */
  readonly cores: number;
  /** Run-queue wait over the stretch's wall time: 1.0 = one thread kept waiting all along. */
  readonly waitingThreads: number;
  /** Run-queue wait per second on a CPU: how long each unit of work waited for a core. */
  readonly waitPerCpuSecond: number;
}

/**
 * Starts watching groups of processes now (say `api`, `kafka`, `redis`); each `read()` tells, for
 * each, its CPU use and run-queue wait since the start (so one meter serves stretches that begin
 * together). `groups` is asked again at each read, so a process or thread that began in between (a
 * connection's PostgreSQL backend, a pool's thread) counts from its start; one that ended in
 * between is lost, with the time it spent in the stretch.
 */
export function schedulingMeter(groups: () => Readonly<Record<string, Watched>>): {
  read(): Record<string, SchedulingShare>;
} {
  const wallAtStart = performance.now();
  const atStart = new Map(Object.entries(groups()).map(([name, watched]) => [name, threadsOf(watched)]));
  return {
    read() {
      const wallSeconds = (performance.now() - wallAtStart) / 1_000;
      return Object.fromEntries(
        Object.entries(groups()).map(([name, watched]) => {
          let onCpuNs = 0;
          let waitingNs = 0;
          const before = atStart.get(name);
          for (const [key, now] of threadsOf(watched)) {
            onCpuNs += now.onCpuNs - (before?.get(key)?.onCpuNs ?? 0);
            waitingNs += now.waitingNs - (before?.get(key)?.waitingNs ?? 0);
          }
          const onCpu = onCpuNs / 1e9;
          const waiting = waitingNs / 1e9;
          return [
            name,
            {
              cores: onCpu / wallSeconds,
              waitingThreads: waiting / wallSeconds,
              waitPerCpuSecond: onCpu > 0 ? waiting / onCpu : 0,
            },
          ];
        }),
      );
    },
  };
}

function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
