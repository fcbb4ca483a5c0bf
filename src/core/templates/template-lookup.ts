import type { TemplateStore } from '../../ports/template-store.ts';
import { HeraldError } from '../domain/errors.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import type { AlimTalkTemplate } from './alimtalk-template.ts';
import { approvedVendors } from './alimtalk-template.ts';

/** What the API and the lane workers read of the template store. */
export type TemplateLookup = Pick<TemplateStore, 'get'>;

/** The vendors a channel is routed to now: weight 0 is the kill switch, so those do not count. */
export function routedVendors(config: Pick<RemoteConfigDocument, 'routing'>, channel: 'alimtalk'): string[] {
  return (config.routing[channel] ?? []).filter((route) => route.weight > 0).map((route) => route.vendor);
}

/**
 * The client's template when a send may use it: registered by this client (another client's code
 * is unknown here, never a hint that it exists: 400 HERALD_TEMPLATE_NOT_FOUND) and approved at one
 * vendor at least among `routed` (else 422 HERALD_TEMPLATE_NOT_APPROVED, naming its state).
 */
export function usableTemplate(
  template: AlimTalkTemplate | undefined,
  code: string,
  routed: readonly string[],
): AlimTalkTemplate {
  if (!template) {
    throw new HeraldError(
      'HERALD_TEMPLATE_NOT_FOUND',
      `template.code ${code} is not one of your templates; register it with PUT /v1/templates/:code`,
      { field: 'template.code' },
    );
  }
  if (approvedVendors(template, routed).length > 0) return template;
  const approvedElsewhere = Object.keys(template.vendors).filter(
    (vendorId) => template.vendors[vendorId]!.state === 'approved',
  );
  const why =
    approvedElsewhere.length > 0
      ? `approved only at ${approvedElsewhere.join(', ')}, where AlimTalk is not routed now`
      : `${template.state}${template.rejectedReason ? ` (${template.rejectedReason})` : ''}`;
  throw new HeraldError(
    'HERALD_TEMPLATE_NOT_APPROVED',
    `template ${code} is ${why}; AlimTalk is routed to ${routed.join(', ') || 'no vendor'}`,
    { field: 'template.code' },
  );
}
