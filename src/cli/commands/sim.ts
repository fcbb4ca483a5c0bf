import type { Command } from 'commander';
import { runSimulatorProcess, SIMULATOR_USAGE, SimulatorUsageError } from '../../simulators/main.ts';

/** `herald sim`: the vendor simulators as their own process, for drills and benchmarks. */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the vendor simulators as their own process (see --help)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[flags...]')
    .action(async (flags: string[]) => {
      if (flags.includes('--help') || flags.includes('-h')) {
        process.stdout.write(`${SIMULATOR_USAGE}\n`);
        return;
      }
      try {
        await runSimulatorProcess(flags);
      } catch (error) {
        if (!(error instanceof SimulatorUsageError)) throw error;
        process.stderr.write(`herald sim: ${error.message}\n`);
        process.exit(2);
      }
    });
}
