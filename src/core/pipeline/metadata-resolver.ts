import { CHANNEL_LIMITS, SMS_MAX_BYTES } from '../content/channel-limits.ts';
import { emailParts } from '../content/email-parts.ts';
import { eucKrByteLength, findNonEucKr } from '../content/euc-kr.ts';
import { renderTemplate } from '../content/render-template.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Envelope, KakaoDelivery, OutboundMessage } from '../domain/message.ts';
import type { PushDelivery } from '../domain/push-message.ts';
import { inferPushProvider, type PushProvider } from '../domain/push-provider.ts';
import type { UnsubscribeLinks } from '../identity/unsubscribe-token.ts';
import type { AlimTalkTemplate } from '../templates/alimtalk-template.ts';
import type { TemplateLookup } from '../templates/template-lookup.ts';
import type { ImageLoader } from './image-loader.ts';
import { withUnsubscribeLink } from './unsubscribe-footer.ts';

/**
 * The metadata step of a lane: turns an envelope into what a vendor receives, looking up what the
 * API did not carry (the client's AlimTalk template: text, buttons, each vendor's code). Lookups run in the lane's metadata pool, apart from the
 * send pool, so slow lookups never hold vendor-call slots. Templates are cached briefly: a batch of
 * 100 messages of one template costs one lookup, and an edited template applies within `ttlMs`.
 */
export class MetadataResolver {
  readonly #templates: TemplateLookup;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { template: Promise<AlimTalkTemplate | undefined>; until: number }>();
  readonly #images: ImageLoader | undefined;
  readonly #unsubscribe: UnsubscribeLinks | undefined;

  /**
   * `images`: where MMS images are loaded from (absent: an envelope with images fails, 503).
   * `unsubscribe`: makes the link every ad e-mail carries (absent: an ad e-mail fails, 503).
   */
  constructor(
    templates: TemplateLookup,
    ttlMs = 5_000,
    images?: ImageLoader,
    unsubscribe?: UnsubscribeLinks,
  ) {
    this.#templates = templates;
    this.#ttlMs = ttlMs;
    this.#images = images;
    this.#unsubscribe = unsubscribe;
  }

  /** Whether this envelope needs a lookup at all (so plain messages skip the metadata pool). */
  needsLookup(envelope: Envelope): boolean {
    return envelope.template !== undefined || (envelope.images?.length ?? 0) > 0;
  }

  async resolve(envelope: Envelope, now: number): Promise<OutboundMessage> {
    const base = {
      messageId: envelope.messageId,
      idempotencyKey: envelope.key,
      channel: envelope.channel,
      to: envelope.to,
      attempt: envelope.attempt,
      expiresAt: envelope.expiresAt,
      lane: envelope.lane,
      ...(envelope.from !== undefined && { from: envelope.from }),
      ...emailParts(envelope),
    };
    if (!envelope.template) {
      const { subject, body = '' } = envelope.content ?? {};
      const push = envelope.channel === 'push' ? { push: pushDelivery(envelope) } : {};
      const vms = envelope.channel === 'vms' && envelope.vms !== undefined ? { vms: envelope.vms } : {};
      const images = envelope.images?.length ? { images: await this.#loadImages(envelope) } : {};
      const message = { ...base, body, subject, ...push, ...vms, ...images };
      return envelope.lane === 'ad' && envelope.channel === 'email'
        ? this.#withUnsubscribe(envelope, message)
        : message;
    }
    const template = await this.#template(envelope, now);
    const rendered = renderTemplate(template.body, envelope.template.vars);
    if (rendered.missing.length > 0) {
      // The template changed after the API checked the variables: Kakao would refuse the text.
      throw new HeraldError(
        'HERALD_MISSING_VARIABLE',
        `template ${template.code} now needs ${rendered.missing.join(', ')}, which the request did not give`,
      );
    }
    const kakao = kakaoDelivery(template, envelope);
    if (Object.keys(kakao.templateCodes).length === 0) {
      // Changed or rejected since the API accepted it: no vendor would take it, and waiting will
      // not approve it (a review takes days), so the message fails now rather than retrying.
      throw new HeraldError(
        'HERALD_TEMPLATE_NOT_APPROVED',
        `template ${template.code} is ${template.state} now (version ${template.version}): approved at no vendor`,
      );
    }
    const eligibleVendors = Object.keys(kakao.templateCodes).filter(
      (vendorId) => envelope.kakaoSenders === undefined || kakao.senderIds[vendorId] !== undefined,
    );
    return { ...base, body: rendered.text, template: envelope.template, kakao, eligibleVendors };
  }

  /**
   * The fallback (대체발송) of an AlimTalk message Kakao could not deliver: the template's fallback
   * text with the message's variables (or, without one, the AlimTalk text itself, as NHN does),
   * sent as SMS when it fits 90 EUC-KR bytes, else as LMS. Throws HeraldError when the text cannot
   * go by SMS/LMS at all (outside EUC-KR, over 2000 bytes): the message then ends undelivered.
   */
  async fallbackFor(envelope: Envelope, now: number): Promise<FallbackContent> {
    if (!envelope.template) {
      throw new HeraldError('HERALD_VALIDATION_FAILED', 'only an AlimTalk message has a fallback');
    }
    const template = await this.#template(envelope, now);
    const rendered = renderTemplate(template.fallbackBody ?? template.body, envelope.template.vars);
    if (rendered.missing.length > 0) {
      throw new HeraldError(
        'HERALD_MISSING_VARIABLE',
        `the fallback of template ${template.code} needs ${rendered.missing.join(', ')}`,
      );
    }
    return fallbackContent(rendered.text);
  }

  /** An ad e-mail never leaves without its opt-out link (정보통신망법 §50④): no linker, no send. */
  #withUnsubscribe(envelope: Envelope, message: OutboundMessage): OutboundMessage {
    if (!this.#unsubscribe) {
      throw new HeraldError('HERALD_UNAVAILABLE', 'this worker cannot make unsubscribe links for ad e-mail', {
        retryable: true,
      });
    }
    return withUnsubscribeLink(message, this.#unsubscribe.urlFor(envelope.clientId, envelope.to));
  }

  #loadImages(envelope: Envelope) {
    if (!this.#images) {
      throw new HeraldError('HERALD_UNAVAILABLE', 'this worker has no media store to load MMS images from', {
        retryable: true,
      });
    }
    return this.#images.load(envelope.images ?? []);
  }

  /** The envelope's client's template; not retryable when gone (deleted, it will not come back by waiting). */
  async #template(envelope: Envelope, now: number): Promise<AlimTalkTemplate> {
    const { clientId } = envelope;
    const code = envelope.template!.code;
    const key = `${clientId}\u0000${code}`;
    let cached = this.#cache.get(key);
    if (!cached || cached.until <= now) {
      const template = this.#templates.get(clientId, code);
      cached = { template, until: now + this.#ttlMs };
      this.#cache.set(key, cached);
      template.catch(() => this.#cache.delete(key));
    }
    const template = await cached.template;
    if (!template) {
      throw new HeraldError('HERALD_TEMPLATE_NOT_FOUND', `template ${code} is not registered for the client`);
    }
    return template;
  }
}

/**
 * What the AlimTalk adapters need: the template's code at each vendor where it is approved (the
 * only vendors it may go to), the client's channel per vendor from the envelope, the request's
 * variables and the template's buttons. An envelope without `kakaoSenders` (queued before the
 * API resolved channels) goes to the approved vendors; an adapter that needs a sender id refuses it.
 */
export function kakaoDelivery(template: AlimTalkTemplate, envelope: Envelope): KakaoDelivery {
  const templateCodes: Record<string, string> = {};
  for (const [vendorId, status] of Object.entries(template.vendors)) {
    if (status.state === 'approved') templateCodes[vendorId] = status.code;
  }
  return {
    senderIds: envelope.kakaoSenders ?? {},
    templateCodes,
    variables: envelope.template?.vars ?? {},
    buttons: template.buttons,
  };
}

/** The SMS or LMS that stands in for an undelivered AlimTalk. */
export interface FallbackContent {
  readonly channel: 'sms' | 'lms';
  readonly body: string;
}

/** SMS when the text fits 90 EUC-KR bytes, else LMS; refused outside EUC-KR or over an LMS. */
export function fallbackContent(text: string): FallbackContent {
  const found = findNonEucKr(text);
  if (found) {
    throw new HeraldError(
      'HERALD_NOT_EUC_KR',
      `the fallback text has a character outside EUC-KR at index ${found.index} (${found.codePoint}); SMS/LMS cannot carry it`,
    );
  }
  const bytes = eucKrByteLength(text);
  if (bytes <= SMS_MAX_BYTES) return { channel: 'sms', body: text };
  const limit = CHANNEL_LIMITS.lms.body.max;
  if (bytes > limit) {
    throw new HeraldError(
      'HERALD_BODY_TOO_LONG',
      `the fallback text is ${bytes} EUC-KR bytes; an LMS allows ${limit}`,
    );
  }
  return { channel: 'lms', body: text };
}

/**
 * What a push adapter needs besides the text: the provider (the envelope's, or the token's shape
 * for envelopes queued before it was carried), the device's app (APNs topic; absent, the vendor's
 * default topic), the title, the request's options and the expiry.
 */
function pushDelivery(envelope: Envelope): PushDelivery {
  const provider = pushProviderOf(envelope);
  return {
    provider,
    ...(envelope.pushApp !== undefined && { app: envelope.pushApp }),
    ...(envelope.content?.subject !== undefined && { title: envelope.content.subject }),
    options: envelope.push ?? {},
    expiresAt: envelope.expiresAt,
  };
}

/** The push service of an envelope's token; HERALD_UNKNOWN_PUSH_PROVIDER when nothing tells it. */
export function pushProviderOf(envelope: Pick<Envelope, 'to' | 'pushProvider'>): PushProvider {
  const provider = envelope.pushProvider ?? inferPushProvider(envelope.to);
  if (provider !== undefined) return provider;
  throw new HeraldError(
    'HERALD_UNKNOWN_PUSH_PROVIDER',
    'the device token is neither APNs- nor FCM-shaped and the message names no provider',
  );
}
