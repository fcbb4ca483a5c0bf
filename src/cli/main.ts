import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { describeFailure } from './cli-failure.ts';
import { registerDedupCommand } from './commands/dedup.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerSendCommand } from './commands/send.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatsCommand } from './commands/stats.ts';
import { registerTemplatesCommand } from './commands/templates.ts';

/** `herald <command>`: the one entry point for running, operating and trying herald. */
export function buildCli(): Command {
  const program = new Command('herald')
    .description('Multi-channel message-sending platform')
    .version(packageJson.version, '-V, --version', 'print the herald version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerStartCommand(program);
  registerSendCommand(program);
  registerKeysCommand(program);
  registerTemplatesCommand(program);
  registerSimCommand(program);
  registerDedupCommand(program);
  registerStatsCommand(program);
  return program;
}

if (import.meta.main) {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (error) {
    const failure = describeFailure(error);
    if (failure === undefined) throw error; // a bug: the stack trace helps whoever reports it
    process.stderr.write(`herald: ${failure.message}\n`);
    // exit, not exitCode: a half-started herald (port in use) still has timers and sockets open.
    process.exit(failure.exitCode);
  }
}
