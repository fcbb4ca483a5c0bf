import { Command } from 'commander';
import { registerDedupCommand } from './commands/dedup.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerSendCommand } from './commands/send.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerStartCommand } from './commands/start.ts';

/** `herald <command>`: the one entry point for running, operating and trying herald. */
export function buildCli(): Command {
  const program = new Command('herald')
    .description('Multi-channel message-sending platform')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerStartCommand(program);
  registerSendCommand(program);
  registerKeysCommand(program);
  registerSimCommand(program);
  registerDedupCommand(program);
  return program;
}

if (import.meta.main) {
  await buildCli().parseAsync(process.argv);
}
