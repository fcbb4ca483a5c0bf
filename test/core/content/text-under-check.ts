import type { ContentUnderCheck } from '../../../src/core/content/rules/content-under-check.ts';

/** A realtime SMS body as the content rules see it; override what a test is about. */
export function textUnderCheck(body: string, overrides: Partial<ContentUnderCheck> = {}): ContentUnderCheck {
  return { channel: 'sms', lane: 'realtime', source: 'content', smsAutoUpgrade: true, body, ...overrides };
}
