import { ConfigError } from '../config/env-config.ts';
import { isHeraldError } from '../core/domain/errors.ts';

/**
 * How the CLI ends on an error. Expected failures (bad arguments, a server that is down, an
 * unknown key id, a port in use) end with one line saying what happened and what to do, and a
 * non-zero exit code; only a bug in herald shows a stack trace.
 */
export class CliError extends Error {
  /** 2: the command line or configuration is wrong; 1: the command could not do its work. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export interface CliFailure {
  readonly message: string;
  readonly exitCode: number;
}

/** The line and exit code for an error the CLI expects; undefined for a bug (shown with its stack). */
export function describeFailure(error: unknown): CliFailure | undefined {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ConfigError) return { message: error.message, exitCode: 2 };
  if (isHeraldError(error)) return { message: `${error.message} (${error.code})`, exitCode: 1 };
  const system = systemErrorIn(error);
  if (system === undefined) return undefined;
  const where = [system.address, system.port].filter((part) => part !== undefined).join(':');
  const message = SYSTEM_ERRORS[system.code]?.(where);
  return message === undefined ? undefined : { message, exitCode: 1 };
}

interface SystemError {
  readonly code: string;
  readonly address?: string;
  readonly port?: number;
}

const SYSTEM_ERRORS: Readonly<Record<string, (where: string) => string>> = {
  EADDRINUSE: (where) =>
    `${where} is already in use (another herald?): stop that process, or set HERALD_PORT to a free port`,
  EACCES: (where) => `not allowed to listen on ${where}: use a port above 1023 (HERALD_PORT)`,
  ECONNREFUSED: (where) => `cannot connect to ${where}: connection refused; is the service running?`,
  ENOTFOUND: (where) => `cannot resolve the host of ${where || 'the URL'}: check the host name`,
  ETIMEDOUT: (where) => `connecting to ${where} timed out: check the address and the network`,
};

/** The first error in the cause chain with a system error code (fetch wraps them in a TypeError). */
function systemErrorIn(error: unknown): SystemError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code, address, port } = current as Error & Partial<SystemError>;
    if (typeof code === 'string' && Object.hasOwn(SYSTEM_ERRORS, code)) return { code, address, port };
    current = current.cause ?? (current instanceof AggregateError ? current.errors[0] : undefined);
  }
  return undefined;
}
