import type { KakaoButton } from '../../core/domain/message.ts';

/** A template's review state at a simulated vendor, in herald's words (each contract renders its own codes). */
export type SimTemplateState = 'requested' | 'approved' | 'rejected';

/** A button as the vendors keep it with a template: Kakao's, whichever vendor. */
export type SimTemplateButton = KakaoButton;

/** An AlimTalk template as a vendor keeps it for herald's Kakao channel. */
export interface SimTemplate {
  /** The vendor's code for it (NHN templateCode, SENS templateCode, SOLAPI templateId). */
  readonly code: string;
  readonly name: string;
  /** The Kakao channel it belongs to (NHN senderKey, SENS plusFriendId, SOLAPI pfId). */
  readonly senderId: string;
  readonly body: string;
  readonly buttons: readonly SimTemplateButton[];
  readonly state: SimTemplateState;
  readonly rejectedReason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * The AlimTalk templates each simulated vendor holds: what its list API answers (for herald's
 * template sync) and what its send API checks a message against (not approved: refused; content
 * not the template with its variables filled in: Kakao 3016). Filled by the vendor's template
 * registration API, or by the control API (`PUT /_sim/vendors/:id/templates/:code`) to change a
 * template at one vendor behind herald's back, as a Kakao reviewer or a colleague in the
 * vendor's console would.
 */
export class VendorTemplates {
  readonly #byVendor = new Map<string, Map<string, SimTemplate>>();
  /** Until this is set false, a registered template is approved at once (no reviewer in tests). */
  autoApprove = true;

  get(vendorId: string, code: string): SimTemplate | undefined {
    return this.#byVendor.get(vendorId)?.get(code);
  }

  list(vendorId: string): SimTemplate[] {
    return [...(this.#byVendor.get(vendorId)?.values() ?? [])];
  }

  /** Stores (or replaces) a template; a new one is `requested`, or `approved` with autoApprove. */
  put(
    vendorId: string,
    template: Omit<SimTemplate, 'state' | 'createdAt' | 'updatedAt'> & Partial<Pick<SimTemplate, 'state'>>,
    now: number = Date.now(),
  ): SimTemplate {
    const templates = this.#byVendor.get(vendorId) ?? new Map<string, SimTemplate>();
    this.#byVendor.set(vendorId, templates);
    const earlier = templates.get(template.code);
    const state = template.state ?? (this.autoApprove ? 'approved' : 'requested');
    const stored: SimTemplate = Object.freeze({
      ...template,
      state,
      createdAt: earlier?.createdAt ?? now,
      updatedAt: now,
    });
    templates.set(template.code, stored);
    return stored;
  }

  reset(): void {
    this.#byVendor.clear();
    this.autoApprove = true;
  }
}
