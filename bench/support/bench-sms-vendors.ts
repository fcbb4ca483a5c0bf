import { VENDOR_FACTORIES } from '../../src/app/vendor-factories.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { PROCESS_SECRETS } from '../../src/config/vendor-secrets.ts';
import type { Channel } from '../../src/core/domain/channel.ts';
import { weightedPick } from '../../src/core/routing/weighted-pick.ts';
import type { Vendor } from '../../src/ports/vendor.ts';
import { ensureSimulatorCredentials } from '../../src/simulators/push-credentials/push-credentials.ts';
import { BENCH_CREDENTIALS_DIR } from './bench-engines.ts';

/** The SMS vendors herald routes to by default (nhn-sms, sens-sms, solapi-sms at 50/30/20). */
const SMS_ROUTES = DEFAULT_REMOTE_CONFIG.routing.sms;

/** A competitor's SMS senders: the weighted pick over them, and close() for their connections. */
export interface BenchSmsVendors {
  readonly pick: () => Vendor;
  close(): Promise<void>;
}

/**
 * The very SMS adapters herald sends through in a bench, for a competitor's worker: built by the
 * vendor factories from the default config's definitions, signing with the generated accounts in
 * BENCH_CREDENTIALS_DIR (the ones the bench simulator trusts), picked by herald's own weighted pick
 * over the same routing weights. So both sides pay the same vendor wire cost (signatures, JSON
 * bodies, the vendors' answers) and a comparison measures the queue, not the adapter.
 */
export async function benchSmsVendors(
  simulatorUrl: string,
  /** The bench process's (a child's own BENCH_CREDENTIALS_DIR is another directory). */
  credentialsDir = BENCH_CREDENTIALS_DIR,
): Promise<BenchSmsVendors> {
  const deployment = {
    simulatorUrl,
    simulatorCredentials: await ensureSimulatorCredentials(credentialsDir),
    secrets: PROCESS_SECRETS,
  };
  const weighted = SMS_ROUTES.map(({ vendor: id, weight }) => {
    const settings = DEFAULT_REMOTE_CONFIG.vendors[id]!;
    const factory = VENDOR_FACTORIES[settings.kind ?? 'simulator'];
    if (!factory) throw new Error(`no adapter for vendor ${id} (kind ${settings.kind})`);
    const channels = SIMULATOR_VENDOR_CHANNELS[
      id as keyof typeof SIMULATOR_VENDOR_CHANNELS
    ] as readonly Channel[];
    return { weight, vendor: factory({ id, settings, channels }, deployment)() };
  });
  return {
    pick: () => weightedPick(weighted)!.vendor,
    async close() {
      await Promise.all(weighted.map(({ vendor }) => vendor.close()));
    },
  };
}
