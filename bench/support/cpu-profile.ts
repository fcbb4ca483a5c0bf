import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  /** `function (file:line)`, file relative to the repo or to node_modules. */
  readonly name: string;
  readonly selfMs: number;
  /** Share of all sampled time, 0..1 (idle and GC included, as V8 reports them). */
  readonly share: number;
}

/**
 * Self time summed per function name and script, highest first. With `windowUs` (monotonic µs,
 * the profile's own clock), only samples inside it count, so start-up and shutdown stay out.
 */
export function topSelfTime(
  path: string,
  top = 15,
  windowUs?: { readonly start: number; readonly end: number },
): SelfTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    nameOf.set(
      node.id,
      `${functionName || '(anonymous)'}${url ? ` (${shortUrl(url)}:${lineNumber + 1})` : ''}`,
    );
  }
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  let at = profile.startTime;
  const inWindow = (time: number) => !windowUs || (time >= windowUs.start && time <= windowUs.end);
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (!inWindow(at)) return;
    totalUs += delta;
    const name = nameOf.get(id) ?? '(unknown)';
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
  });
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: us / 1_000, share: totalUs > 0 ? us / totalUs : 0 }));
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const cwd = `file://${process.cwd()}/`;
  return url.startsWith(cwd) ? url.slice(cwd.length) : url;
}
