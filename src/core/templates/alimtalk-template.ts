import type { KakaoButton } from '../domain/message.ts';

/**
 * A client's AlimTalk template (알림톡 템플릿) and its review at each vendor. Kakao reviews a
 * template per channel and per vendor account, so one herald template has a state at every
 * AlimTalk vendor it was submitted to, each under that vendor's code (NHN and SENS take the code
 * herald gives; SOLAPI assigns its own id). The overall state is derived from the vendors' (see
 * `overallState`): a send only needs one vendor where it is approved.
 */
export type TemplateState = 'draft' | 'requested' | 'approved' | 'rejected';

/** What a client writes; a change to any of it is a new version that needs review again. */
export interface TemplateContent {
  /** Shown in vendor consoles and template lists (Kakao's 템플릿명). */
  readonly name: string;
  /** Text with #{variable} placeholders, exactly as reviewed. */
  readonly body: string;
  readonly buttons: readonly KakaoButton[];
  /** 대체발송 text sent by SMS/LMS when Kakao cannot deliver; the rendered body when absent. */
  readonly fallbackBody?: string;
}

/** The template's review at one vendor. */
export interface VendorTemplateStatus {
  /** The template's code at that vendor. */
  readonly code: string;
  readonly state: 'requested' | 'approved' | 'rejected';
  readonly rejectedReason?: string;
  /** Epoch ms of the last submission or sync that told this state. */
  readonly syncedAt: number;
}

export interface AlimTalkTemplate extends TemplateContent {
  readonly clientId: string;
  readonly code: string;
  /** 1 for the first content; +1 on every content change (earlier versions are kept). */
  readonly version: number;
  /** +1 on every write (content or state): the store's optimistic-concurrency check. */
  readonly revision: number;
  readonly state: TemplateState;
  /** The reason a vendor gave, when every vendor rejected it. */
  readonly rejectedReason?: string;
  /** Vendor id -> the review there. Empty until the template is submitted. */
  readonly vendors: Readonly<Record<string, VendorTemplateStatus>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One kept version of a template's content. */
export interface TemplateVersion extends TemplateContent {
  readonly version: number;
  readonly createdAt: number;
}

/**
 * approved when any vendor approved it (a send can go there); else requested while a review is
 * pending anywhere; else rejected when a vendor rejected it; else draft (never submitted).
 */
export function overallState(
  vendors: AlimTalkTemplate['vendors'],
): Pick<AlimTalkTemplate, 'state' | 'rejectedReason'> {
  const statuses = Object.values(vendors);
  if (statuses.some((status) => status.state === 'approved')) return { state: 'approved' };
  if (statuses.some((status) => status.state === 'requested')) return { state: 'requested' };
  const rejected = statuses.find((status) => status.state === 'rejected');
  if (rejected) {
    return rejected.rejectedReason === undefined
      ? { state: 'rejected' }
      : { state: 'rejected', rejectedReason: rejected.rejectedReason };
  }
  return { state: 'draft' };
}

/** Whether two contents are the same text, buttons and fallback (the name is a label, not reviewed text). */
export function sameContent(a: TemplateContent, b: TemplateContent): boolean {
  return (
    a.body === b.body &&
    (a.fallbackBody ?? null) === (b.fallbackBody ?? null) &&
    sameButtons(a.buttons, b.buttons)
  );
}

export function sameButtons(a: readonly KakaoButton[], b: readonly KakaoButton[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((button, index) => {
    const other = b[index]!;
    return (
      button.type === other.type &&
      button.name === other.name &&
      (button.linkMobile ?? '') === (other.linkMobile ?? '') &&
      (button.linkPc ?? '') === (other.linkPc ?? '')
    );
  });
}

/**
 * The template after a client's PUT: new (version 1, draft), unchanged, or a new version. A new
 * version drops every vendor's review: Kakao approved the old text, not this one, so the template
 * is a draft again until submitted (sends are refused meanwhile; register a new code to keep the
 * old text in service while the new one is reviewed).
 */
export function reviseTemplate(
  current: AlimTalkTemplate | undefined,
  identity: { readonly clientId: string; readonly code: string },
  content: TemplateContent,
  now: number,
): AlimTalkTemplate | undefined {
  const fields = {
    name: content.name,
    body: content.body,
    buttons: content.buttons,
    ...(content.fallbackBody !== undefined && { fallbackBody: content.fallbackBody }),
  };
  if (!current) {
    return {
      ...identity,
      ...fields,
      version: 1,
      revision: 1,
      state: 'draft',
      vendors: {},
      createdAt: now,
      updatedAt: now,
    };
  }
  if (sameContent(current, content)) {
    if (current.name === content.name) return undefined;
    return { ...current, name: content.name, revision: current.revision + 1, updatedAt: now };
  }
  return {
    clientId: current.clientId,
    code: current.code,
    ...fields,
    version: current.version + 1,
    revision: current.revision + 1,
    state: 'draft',
    vendors: {},
    createdAt: current.createdAt,
    updatedAt: now,
  };
}

/** The template with one vendor's review replaced (or added), the overall state derived again. */
export function withVendorStatus(
  template: AlimTalkTemplate,
  vendorId: string,
  status: VendorTemplateStatus,
  now: number,
): AlimTalkTemplate {
  const vendors = { ...template.vendors, [vendorId]: status };
  const { rejectedReason: _dropped, ...rest } = template;
  return { ...rest, ...overallState(vendors), vendors, revision: template.revision + 1, updatedAt: now };
}

/** The vendors among `routed` where the template is approved, in `routed`'s order. */
export function approvedVendors(template: AlimTalkTemplate, routed: readonly string[]): string[] {
  return routed.filter((vendorId) => template.vendors[vendorId]?.state === 'approved');
}
