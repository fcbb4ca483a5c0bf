import type { Command } from 'commander';
import { startHerald } from '../../app/herald.ts';
import { ConfigError, loadEnvConfig } from '../../config/env-config.ts';
import { createLogger } from '../../observability/logger.ts';

/**
 * `herald start`: everything in one process on the embedded default (API, lane workers, retry
 * worker, simulators). SIGTERM/SIGINT shut down gracefully within HERALD_SHUTDOWN_TIMEOUT_MS; a
 * second signal, or the timeout, exits at once (the transport redelivers whatever was unfinished).
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run herald (API, workers, simulators) in one process on the embedded default')
    .action(async () => {
      const env = loadEnvOrExit();
      const logger = createLogger({ level: env.logLevel });
      const herald = await startHerald(env, logger);
      let signals = 0;
      const shutdown = (signal: string) => {
        if (++signals > 1) process.exit(1);
        logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          logger.error('graceful shutdown timed out, exiting');
          process.exit(1);
        }, env.shutdownTimeoutMs);
        force.unref();
        herald.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });
}

export function loadEnvOrExit(): ReturnType<typeof loadEnvConfig> {
  try {
    return loadEnvConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`herald: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
