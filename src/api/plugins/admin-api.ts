import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Admission } from '../../core/admission/admission.ts';
import type { ConfigStore } from '../../ports/config-store.ts';
import type { HistoryStats } from '../../ports/history-stats.ts';
import type { VendorCatalogue } from '../../ports/vendor.ts';
import type { ApiKeyAuthenticator } from '../api-key-auth.ts';
import { requireApiKey } from '../auth-hook.ts';
import { registerConfigRoutes } from './admin-config-routes.ts';
import { registerStatsRoutes } from './admin-stats-routes.ts';
import { registerTemplateRoutes } from './admin-template-routes.ts';
import type { TemplateApiDeps } from './template-checks.ts';

export type AdminConfigStore = Pick<ConfigStore, 'getRemoteConfig' | 'putRemoteConfig'>;

export interface AdminApiOptions {
  readonly configStore: AdminConfigStore;
  /** Every client's AlimTalk templates, and the vendors to submit them to. */
  readonly templates: TemplateApiDeps;
  readonly authenticator: ApiKeyAuthenticator;
  /** Throttles failed authentication per address (admin calls are not rate limited per client). */
  readonly admission: Pick<Admission, 'checkAddress' | 'authFailed'>;
  /** This deployment's vendors, which a remote config may route to. */
  readonly vendors: VendorCatalogue;
  /** Figures over history (GET /admin/stats); the route exists only where it is given. */
  readonly stats?: Pick<HistoryStats, 'stats'>;
}

/**
 * The operator API under /admin: remote config, AlimTalk templates, stats. Its own encapsulated context
 * with its own auth hook, so only keys with the admin role reach these routes (others get 403) and
 * nothing here leaks into the client API's context.
 */
export const adminApi: FastifyPluginAsyncTypebox<AdminApiOptions> = async (app, options) => {
  requireApiKey(app, options.authenticator, options.admission, 'admin');
  registerConfigRoutes(app, options.configStore, options.vendors);
  registerTemplateRoutes(app, options.templates);
  if (options.stats) registerStatsRoutes(app, options.stats);
};
