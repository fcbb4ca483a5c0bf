import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phoneNumbers, startTestHerald } from '../support/herald-harness.ts';

/**
 * The API's content dedup (dedup.byContent) claims keys in the process's dedup store (Stores.dedup),
 * not in history: two identical requests sent at once through a started herald get one winner.
 */
describe('content dedup wiring', () => {
  it("answers the loser of two identical requests sent at once with the winner's message ids", async () => {
    const h = await startTestHerald();
    try {
      const request = {
        channel: 'sms',
        lane: 'realtime',
        content: { body: 'one reminder a minute' },
        recipients: phoneNumbers(3).map((to) => ({ to })),
        dedup: { byContent: true, windowSeconds: 60 },
      };
      const answers = await Promise.all([
        h.call('POST', '/v1/messages', request),
        h.call('POST', '/v1/messages', request),
      ]);
      for (const answer of answers) assert.equal(answer.status, 202, JSON.stringify(answer.body));
      const statuses = answers.map((a) => a.body.messages.map((m: { status: string }) => m.status).join());
      assert.deepEqual(statuses.sort(), ['accepted,accepted,accepted', 'duplicate,duplicate,duplicate']);
      const [first, second] = answers.map((a) =>
        a.body.messages.map((m: { messageId: string }) => m.messageId),
      );
      assert.deepEqual(first, second);
    } finally {
      await h.stop();
    }
  });
});
