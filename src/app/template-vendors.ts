import type { EnvConfig } from '../config/env-config.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { TemplateVendor, TemplateVendorContext } from '../core/templates/template-vendors.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';
import type { VendorLookup } from '../ports/vendor.ts';
import type { Stores } from './stores.ts';

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

/** No channel registered anywhere: until the sender registry is opened, nothing is submitted. */
const NO_CHANNELS: Pick<SenderRegistry, 'listKakaoChannels'> = { listKakaoChannels: async () => [] };

/**
 * The clients' Kakao channels, from the sender registry when this build's stores have one (the
 * senders work adds `stores.senders`); integration point: replace with `stores.senders`.
 */
export function kakaoChannelsOf(stores: Stores): Pick<SenderRegistry, 'listKakaoChannels'> {
  const { senders } = stores as Stores & { senders?: SenderRegistry };
  return senders ?? NO_CHANNELS;
}

/**
 * The clients' Kakao channels for an operator command (`herald templates`), closed after use.
 * Integration point: open the sender registry here (the senders work's adapters) once it exists.
 */
export function openKakaoChannels(_env: EnvConfig): {
  readonly registry: Pick<SenderRegistry, 'listKakaoChannels'>;
  close(): Promise<void>;
} {
  return { registry: NO_CHANNELS, close: async () => {} };
}
