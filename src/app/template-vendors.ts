import type { EnvConfig } from '../config/env-config.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { TemplateVendor, TemplateVendorContext } from '../core/templates/template-vendors.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';
import type { VendorLookup } from '../ports/vendor.ts';
import { openSenderRegistry } from './stores.ts';

/**
 * The AlimTalk vendors whose adapters have a template API: those the live config routes AlimTalk
 * to (any weight: a vendor turned off still has its templates reviewed), looked up in one lane's
 * adapters. The batch lane's, so template calls never queue in the real-time lane's pools.
 */
export function templateVendorContext(
  vendors: VendorLookup,
  config: () => Pick<RemoteConfigDocument, 'routing'>,
  channels: Pick<SenderRegistry, 'listKakaoChannels'>,
): TemplateVendorContext {
  return {
    vendors: () =>
      (config().routing.alimtalk ?? []).flatMap(({ vendor: id }): TemplateVendor[] => {
        const templates = vendors.get(id)?.templates;
        return templates ? [{ id, templates }] : [];
      }),
    channels,
  };
}

/**
 * The clients' Kakao channels for an operator command (`herald templates`): the deployment's sender
 * registry, opened for the command and closed after it.
 */
export function openKakaoChannels(
  env: EnvConfig,
  onBackgroundError: (error: unknown) => void = () => {},
): {
  readonly registry: Pick<SenderRegistry, 'listKakaoChannels'>;
  close(): Promise<void>;
} {
  const registry = openSenderRegistry(env, onBackgroundError);
  return { registry, close: () => registry.close() };
}
