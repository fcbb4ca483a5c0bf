import type { Command } from 'commander';
import { DEDUP_SIZING_USAGE, runDedupSizing } from '../../adapters/redis/dedup-sizing.ts';

/**
 * `herald dedup sizing --rate N/s --window D [--measure] [--redis URL]`: predicted Redis memory of
 * the dedup keys (key length x volume + Redis's per-key overhead), and with --measure the real
 * bytes per key written to a live Redis. See docs/dedup-sizing.md.
 */
export function registerDedupCommand(program: Command): void {
  program
    .command('dedup')
    .description('dedup store tools')
    .command('sizing')
    .description('predict (and with --measure, measure) Redis memory of the dedup keys (see --help)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[flags...]')
    .action(async (flags: string[]) => {
      if (flags.includes('--help') || flags.includes('-h')) {
        process.stdout.write(`${DEDUP_SIZING_USAGE}\n`);
        return;
      }
      try {
        await runDedupSizing(flags, process.stdout);
      } catch (error) {
        process.stderr.write(
          `herald dedup sizing: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(2);
      }
    });
}
