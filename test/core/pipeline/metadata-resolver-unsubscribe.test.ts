import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { UnsubscribeLinks } from '../../../src/core/identity/unsubscribe-token.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';

const noTemplates = { get: async () => undefined };
const URL_OF = (clientId: string, to: string) =>
  `https://herald.example/v1/unsubscribe/${clientId}:${to.length}`;

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: 'm-1',
    requestId: 'r-1',
    clientId: 'shop',
    key: 'k',
    channel: 'email',
    lane: 'ad',
    to: 'kim@example.com',
    content: { subject: '(광고) 봄 세일', body: '헤럴드마트 봄 세일' },
    attempt: 1,
    expiresAt: 10_000,
    createdAt: 0,
    ...overrides,
  };
}

/** The worker gives every ad e-mail its unsubscribe link: a field for the headers, a line in the body. */
describe('metadata step: the unsubscribe link of ad e-mail', () => {
  const calls: [string, string][] = [];
  const links: UnsubscribeLinks = {
    urlFor(clientId, to) {
      calls.push([clientId, to]);
      return URL_OF(clientId, to);
    },
  };
  const resolver = new MetadataResolver(noTemplates, undefined, undefined, links);

  it('sets unsubscribeUrl for the client and address, and ends the body with the link', async () => {
    const message = await resolver.resolve(envelope(), 0);
    const url = URL_OF('shop', 'kim@example.com');
    assert.equal(message.unsubscribeUrl, url);
    assert.ok(message.body.startsWith('헤럴드마트 봄 세일\n\n'));
    assert.ok(message.body.endsWith(`\n${url}`));
    assert.match(message.body, /수신거부/);
    assert.match(message.body, /unsubscribe/i);
    assert.deepEqual(calls.at(-1), ['shop', 'kim@example.com']);
  });

  it('leaves e-mail on other lanes and ads on other channels alone', async () => {
    for (const other of [envelope({ lane: 'batch' }), envelope({ channel: 'sms', to: '01012345678' })]) {
      const message = await resolver.resolve(other, 0);
      assert.equal(message.unsubscribeUrl, undefined);
      assert.equal(message.body, other.content!.body);
    }
  });

  it('never sends an ad e-mail without its link: a worker that cannot make one fails retryably', async () => {
    await assert.rejects(new MetadataResolver(noTemplates).resolve(envelope(), 0), {
      code: 'HERALD_UNAVAILABLE',
      retryable: true,
    });
  });
});
