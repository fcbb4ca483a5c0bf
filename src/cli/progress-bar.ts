import { createRequire } from 'node:module';

/** The part of cli-progress herald uses (the package ships no types). */
interface SingleBar {
  start(total: number, value: number): void;
  setTotal(total: number): void;
  update(value: number): void;
  stop(): void;
}
interface CliProgress {
  SingleBar: new (options: object, preset: object) => SingleBar;
  Presets: { shades_classic: object };
}

/**
 * A progress bar on stderr when it is a terminal (`herald templates sync`), nothing otherwise: a
 * pipe or a log file gets the result only, and JSON output stays clean on stdout.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_done: number, _total: number) => {}, stop: () => {} };
  const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as CliProgress;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total}`, stream, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, done);
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
