import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildCli } from '../../src/cli/main.ts';
import { runCli } from '../support/child-processes.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Every command below `command`, with the words that call it (`['keys', 'create']`). */
function commandsBelow(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((child) => {
    const childPath = [...path, child.name()];
    return [{ path: childPath, command: child }, ...commandsBelow(child, childPath)];
  });
}

describe('herald CLI entry point', () => {
  it('prints its version from package.json', () => {
    for (const flag of ['--version', '-V']) {
      const result = runCli([flag]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), packageJson.version);
    }
  });

  it('answers --help on every sub-command with what it does and each of its options', () => {
    const commands = commandsBelow(buildCli());
    assert.ok(commands.length >= 12, `only ${commands.length} commands found`);
    for (const { path, command } of commands) {
      const result = runCli([...path, '--help']);
      const what = `herald ${path.join(' ')} --help`;
      assert.equal(result.status, 0, `${what}: ${result.stderr}`);
      assert.ok(command.description().length > 0, `${what}: no description`);
      assert.match(result.stdout, /usage/i, what);
      for (const option of command.options) {
        assert.ok(
          result.stdout.includes(option.long ?? option.flags),
          `${what} does not describe ${option.flags}`,
        );
      }
      // sim and dedup sizing pass their flags through to their own parser: their usage lists them.
      if (
        command.options.length === 0 &&
        command.commands.length === 0 &&
        command.registeredArguments.length > 0
      ) {
        assert.match(result.stdout, /--\w+/, `${what} lists no flags`);
      }
    }
  });

  it('refuses an unknown option or command with a non-zero exit and no stack trace', () => {
    for (const args of [['send', '--bogus'], ['frobnicate'], ['worker', '--lane', 'nope']]) {
      const result = runCli(args);
      assert.notEqual(result.status, 0, args.join(' '));
      assert.doesNotMatch(result.stderr, /^\s+at /m, `${args.join(' ')} printed a stack trace`);
    }
  });
});
