import type { Command } from 'commander';
import { openConfigStore, openTemplateStore } from '../../app/stores.ts';
import { openKakaoChannels, templateVendorContext } from '../../app/template-vendors.ts';
import { startVendorFleet } from '../../app/vendor-fleet.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../config/default-remote-config.ts';
import type { EnvConfig } from '../../config/env-config.ts';
import { upgradeRemoteConfig } from '../../config/upgrade-remote-config.ts';
import type { RemoteConfigDocument } from '../../core/domain/remote-config.ts';
import { submitTemplate } from '../../core/templates/submit-template.ts';
import type { SyncSummary } from '../../core/templates/sync-templates.ts';
import { syncTemplates } from '../../core/templates/sync-templates.ts';
import type { TemplateVendorContext } from '../../core/templates/template-vendors.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { TemplateStore } from '../../ports/template-store.ts';
import { CliError } from '../cli-failure.ts';
import { progressBar } from '../progress-bar.ts';
import { loadEnvOrExit } from './start.ts';

/**
 * `herald templates sync [--vendor id] [--dry-run] [--json]` and `herald templates submit`: the
 * AlimTalk templates of this installation against the vendors' own lists, run from an operator's
 * shell on the stores and vendor settings herald runs on (docs/templates.md). The retry workers
 * run the same sync daily (HERALD_TEMPLATE_SYNC_INTERVAL_MS).
 */
export function registerTemplatesCommand(program: Command): void {
  const templates = program
    .command('templates')
    .description('AlimTalk templates: sync review states from the vendors, submit for review');
  templates
    .command('sync')
    .description(
      "compare herald's templates with each AlimTalk vendor's list and record the states they report",
    )
    .option('--vendor <id>', 'only this vendor')
    .option('--dry-run', 'report the differences, change nothing', false)
    .option('--json', 'print a JSON summary', false)
    .action((options: { vendor?: string; dryRun: boolean; json: boolean }) =>
      withTemplateContext(async ({ store, vendors }) => {
        const bar = options.json ? undefined : progressBar('syncing');
        const summary = await syncTemplates(
          { ...vendors, store, now: Date.now },
          {
            ...(options.vendor !== undefined && { vendorId: options.vendor }),
            dryRun: options.dryRun,
            onProgress: (done, total) => bar?.update(done, total),
          },
        ).finally(() => bar?.stop());
        process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : syncReport(summary));
        if (summary.errors.length > 0) process.exitCode = 1;
      }),
    );
  templates
    .command('submit')
    .description("submit a client's template to the AlimTalk vendors for Kakao's review")
    .argument('<code>', 'the template code')
    .requiredOption('--client <id>', 'the client the template belongs to')
    .option('--vendor <id...>', 'only these vendors')
    .option('--json', 'print JSON', false)
    .action((code: string, options: { client: string; vendor?: string[]; json: boolean }) =>
      withTemplateContext(async ({ store, vendors }) => {
        const result = await submitTemplate(
          { ...vendors, store, now: Date.now },
          options.client,
          code,
          options.vendor,
        );
        const lines = result.outcomes.map(
          (o) =>
            `${o.vendorId}: ${o.outcome}${o.outcome === 'skipped' ? ` (${o.reason})` : o.outcome === 'failed' ? ` (${o.code}: ${o.message})` : ''}`,
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${[...lines, `${code} is ${result.template.state}`].join('\n')}\n`,
        );
        if (result.outcomes.some((outcome) => outcome.outcome === 'failed')) process.exitCode = 1;
      }),
    );
}

/** A readable report: one line per difference, then the counts. */
export function syncReport(summary: SyncSummary): string {
  const lines = summary.differences.map(
    (d) => `${d.clientId} ${d.code} @ ${d.vendorId}: ${d.kind}: ${d.detail}${d.applied ? ' [applied]' : ''}`,
  );
  for (const error of summary.errors)
    lines.push(`${error.clientId} @ ${error.vendorId}: list failed: ${error.message}`);
  const verb = summary.dryRun ? 'would apply' : 'applied';
  const applicable = summary.dryRun
    ? summary.differences.filter((d) => d.kind === 'state-changed' && !d.detail.includes('not applied'))
        .length
    : summary.applied;
  lines.push(
    `${summary.compared} template(s) compared at ${summary.vendors.join(', ') || 'no vendor'}: ` +
      `${summary.differences.length} difference(s), ${verb} ${applicable} state change(s)` +
      (summary.errors.length > 0 ? `, ${summary.errors.length} list(s) failed` : ''),
  );
  return `${lines.join('\n')}\n`;
}

interface TemplateCliContext {
  readonly store: TemplateStore;
  readonly vendors: TemplateVendorContext;
}

/**
 * The template store, the live remote config (as stored: the routes say which vendors carry
 * AlimTalk) and the vendors' adapters built from it, closed after `work`. An in-process simulator
 * would be a new, empty one, so a sync against it would compare with nothing: refused.
 */
async function withTemplateContext(work: (context: TemplateCliContext) => Promise<void>): Promise<void> {
  const env = loadEnvOrExit();
  if (env.simulators === 'in-process') {
    throw new CliError(
      'the simulators run inside herald (HERALD_SIMULATORS=in-process), so this process cannot reach their ' +
        'templates: run `herald sim` with HERALD_SIMULATORS=external, or let the retry workers sync daily',
      2,
    );
  }
  const document = await storedRemoteConfig(env);
  const store = openTemplateStore(env);
  const channels = openKakaoChannels(env);
  const fleet = await startVendorFleet(env, {
    config: { current: () => document, onChange: () => () => {} },
    logger: silentLogger(),
  });
  try {
    const vendors = templateVendorContext(fleet.forLane('batch'), () => document, channels.registry);
    await work({ store, vendors });
  } finally {
    await Promise.allSettled([fleet.close(), store.close(), channels.close()]);
  }
}

async function storedRemoteConfig(env: EnvConfig): Promise<RemoteConfigDocument> {
  const configStore = openConfigStore(env);
  try {
    const stored = await configStore.getRemoteConfig();
    if (!stored) return DEFAULT_REMOTE_CONFIG;
    return (upgradeRemoteConfig(stored.document)?.document ?? stored.document) as RemoteConfigDocument;
  } finally {
    await configStore.close();
  }
}
