import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkContent } from '../../../../src/core/content/content-rules.ts';
import { PUSH_PAYLOAD_MAX_BYTES, pushPayloadBytes } from '../../../../src/core/content/push-payload.ts';
import { pushPayloadSize } from '../../../../src/core/content/rules/push-payload-size.ts';
import { textUnderCheck } from '../text-under-check.ts';

const push = (body: string, overrides = {}) => textUnderCheck(body, { channel: 'push', ...overrides });

describe('push payload size rule', () => {
  it('refuses a body within 2000 characters whose payload is over 4096 bytes (Hangul is 3 bytes)', () => {
    // 1,360 Hangul = 4,080 UTF-8 bytes: within the body's 2000 characters, over the payload.
    const result = checkContent(push('가'.repeat(1360)));
    assert.equal(result.ok, false);
    const error = !result.ok ? result.error : undefined;
    assert.equal(error?.code, 'HERALD_BODY_TOO_LONG');
    assert.match(
      error?.message ?? '',
      /^the push payload \(content\.subject and body, .*\) is \d+ bytes, over 4096 bytes/,
    );
    assert.equal(error?.field, 'content.body');
  });

  it('counts the push options with the text: data that fits alone can make the push too large', () => {
    const body = 'a'.repeat(2000);
    assert.equal(pushPayloadSize.check(push(body)), undefined);
    const data = { blob: 'x'.repeat(2100) };
    const breach = pushPayloadSize.check(push(body, { push: { data } }));
    assert.equal(breach?.code, 'HERALD_BODY_TOO_LONG');
    assert.match(breach?.message ?? '', /subject, body and push options/);
  });

  it('names the recipient when the text was rendered for one', () => {
    const breach = pushPayloadSize.check(push('가'.repeat(1400), { recipient: 3 }));
    assert.match(breach?.message ?? '', /\(rendered for recipients\[3\]\)/);
  });

  it("measures title, body and every option section, and leaves room for herald's fields", () => {
    const bare = pushPayloadBytes('t', 'b');
    assert.ok(bare > Buffer.byteLength('{"notification":{"title":"t","body":"b"}}'));
    const withOptions = pushPayloadBytes('t', 'b', {
      image: 'https://cdn.example.com/a.png',
      android: { priority: 'high' },
      apns: { payload: { aps: { badge: 1 } } },
      validateOnly: true,
    });
    assert.ok(withOptions > bare + 'https://cdn.example.com/a.png'.length);
    assert.ok(PUSH_PAYLOAD_MAX_BYTES === 4096);
  });

  it('judges push only', () => {
    assert.equal(pushPayloadSize.check(textUnderCheck('가'.repeat(1400), { channel: 'email' })), undefined);
  });
});
