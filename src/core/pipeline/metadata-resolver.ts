import type { ConfigStore, Template } from '../../ports/config-store.ts';
import { renderTemplate } from '../content/render-template.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Envelope, OutboundMessage } from '../domain/message.ts';

/**
 * The metadata step of a lane: turns an envelope into what a vendor receives, looking up what the
 * API did not carry (AlimTalk templates). Lookups run in the lane's metadata pool, apart from the
 * send pool, so slow lookups never hold vendor-call slots. Templates are cached briefly: a batch of
 * 100 messages of one template costs one lookup, and an edited template applies within `ttlMs`.
 */
export class MetadataResolver {
  readonly #templates: Pick<ConfigStore, 'getTemplate'>;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { template: Promise<Template | undefined>; until: number }>();

  constructor(templates: Pick<ConfigStore, 'getTemplate'>, ttlMs = 5_000) {
    this.#templates = templates;
    this.#ttlMs = ttlMs;
  }

  /** Whether this envelope needs a lookup at all (so plain messages skip the metadata pool). */
  needsLookup(envelope: Envelope): boolean {
    return envelope.template !== undefined;
  }

  async resolve(envelope: Envelope, now: number): Promise<OutboundMessage> {
    const base = {
      messageId: envelope.messageId,
      idempotencyKey: envelope.key,
      channel: envelope.channel,
      to: envelope.to,
      attempt: envelope.attempt,
    };
    if (!envelope.template) {
      return { ...base, body: envelope.content?.body ?? '', subject: envelope.content?.subject };
    }
    const template = await this.#template(envelope.template.code, now);
    if (!template) {
      // Not retryable: a template deleted after acceptance will not come back by waiting.
      throw new HeraldError(
        'HERALD_TEMPLATE_NOT_FOUND',
        `template ${envelope.template.code} is not registered`,
      );
    }
    const rendered = renderTemplate(template.body, envelope.template.vars);
    if (rendered.missing.length > 0) {
      // The template changed after the API checked the variables: Kakao would refuse the text.
      throw new HeraldError(
        'HERALD_MISSING_VARIABLE',
        `template ${template.code} now needs ${rendered.missing.join(', ')}, which the request did not give`,
      );
    }
    return { ...base, body: rendered.text, template: envelope.template };
  }

  #template(code: string, now: number): Promise<Template | undefined> {
    const cached = this.#cache.get(code);
    if (cached && cached.until > now) return cached.template;
    const template = this.#templates.getTemplate(code);
    this.#cache.set(code, { template, until: now + this.#ttlMs });
    template.catch(() => this.#cache.delete(code));
    return template;
  }
}
