import type { KakaoChannel, SenderRegistry } from '../../ports/sender-registry.ts';
import type { VendorTemplateApi } from '../../ports/vendor.ts';

/** An AlimTalk vendor with a template API, as the submission and the sync use it. */
export interface TemplateVendor {
  readonly id: string;
  readonly templates: VendorTemplateApi;
}

/** What template submission and sync need from outside: the vendors and the clients' Kakao channels. */
export interface TemplateVendorContext {
  /** The AlimTalk vendors of this deployment that have a template API, now. */
  vendors(): readonly TemplateVendor[];
  readonly channels: Pick<SenderRegistry, 'listKakaoChannels'>;
}

/**
 * The client's channel id at each vendor: its default Kakao channel's (else its first channel's),
 * since templates are reviewed per channel and a send goes out on the default channel.
 */
export async function senderIdsOf(
  channels: Pick<SenderRegistry, 'listKakaoChannels'>,
  clientId: string,
): Promise<Readonly<Record<string, string>>> {
  const list: KakaoChannel[] = await channels.listKakaoChannels(clientId);
  const channel = list.find((candidate) => candidate.isDefault) ?? list[0];
  return channel?.senderIds ?? {};
}
