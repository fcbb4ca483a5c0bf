import type { Command } from 'commander';
import { ALL_ROLES, type Roles, startHerald } from '../../app/herald.ts';
import { ConfigError, loadEnvConfig } from '../../config/env-config.ts';
import { isLane, LANES, type Lane } from '../../core/domain/lane.ts';
import { createLogger } from '../../observability/logger.ts';
import { lowerPriorityIfBackground } from '../background-priority.ts';
import { devKeyNotice } from '../dev-key-notice.ts';

/**
 * The commands that run herald. `start` runs everything in one process; `api`, `worker`,
 * `retry-worker` and `history-writer` run one part each, so a deployment scales them apart (several of each, one
 * consumer group per lane, sharing Kafka, Redis and PostgreSQL).
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run herald (API, lane workers, retry worker, simulators) in one process')
    .action(() => run(ALL_ROLES));
  program
    .command('api')
    .description('run only the HTTP API')
    .action(() => run({ api: true, lanes: [], retryLanes: [], historyWriter: false }));
  program
    .command('worker')
    .description('run the worker of one lane (or of every lane)')
    .option('--lane <lane>', `${LANES.join(' | ')} | all`, 'all')
    .action((options: { lane: string }) =>
      run({ api: false, lanes: lanesOption('worker', options.lane), retryLanes: [], historyWriter: false }),
    );
  program
    .command('retry-worker')
    .description(
      'run the retry worker of one lane or every lane (re-dispatch when due, expire the overdue), and the receipts worker',
    )
    .option('--lane <lane>', `${LANES.join(' | ')} | all`, 'all')
    .action((options: { lane: string }) =>
      run({
        api: false,
        lanes: [],
        retryLanes: lanesOption('retry-worker', options.lane),
        historyWriter: false,
      }),
    );
  program
    .command('history-writer')
    .description('run the history writer: folds the history log into the history store (PostgreSQL)')
    .action(() => run({ api: false, lanes: [], retryLanes: [], historyWriter: true }));
}

function lanesOption(command: string, value: string): readonly Lane[] {
  if (value === 'all') return LANES;
  if (isLane(value)) return [value];
  process.stderr.write(`herald ${command}: --lane must be one of ${LANES.join(', ')}, all; got "${value}"\n`);
  process.exit(2);
}

/**
 * Starts the roles and shuts down gracefully on SIGTERM/SIGINT within HERALD_SHUTDOWN_TIMEOUT_MS;
 * a second signal, or the timeout, exits at once (the transport redelivers whatever was unfinished).
 */
async function run(roles: Roles): Promise<void> {
  const env = loadEnvOrExit();
  const logger = createLogger({ level: env.logLevel });
  lowerPriorityIfBackground(roles, env.backgroundNice, logger);
  const herald = await startHerald(env, logger, roles, {
    showDevKey: (key) => process.stderr.write(devKeyNotice(key)),
  }).catch(exitOnConfigError);
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
}

export function loadEnvOrExit(): ReturnType<typeof loadEnvConfig> {
  try {
    return loadEnvConfig();
  } catch (error) {
    return exitOnConfigError(error);
  }
}

/** A configuration problem ends herald with its message and exit code 2, not a stack trace. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`herald: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
