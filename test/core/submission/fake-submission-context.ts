import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import type { SubmissionContext } from '../../../src/core/submission/submission-types.ts';
import type { ConfigStore, Template } from '../../../src/ports/config-store.ts';
import type { AcceptedRequest, MessageEvent } from '../../../src/ports/history-store.ts';
import type { OutgoingRecord } from '../../../src/ports/transport.ts';

/**
 * An object-literal SubmissionContext that records what the use-case wrote, for assertions.
 * findByKeys answers from what was recorded, like a real history store would.
 */
export interface FakeSubmission {
  readonly context: SubmissionContext;
  readonly accepted: AcceptedRequest[];
  readonly events: MessageEvent[];
  readonly produced: OutgoingRecord[];
  /** Set to make the next produce calls fail as a transport without a broker would. */
  failProduce: boolean;
  /** An in-memory advertising opt-out list (what the config store keeps), shared with the test API. */
  readonly optOuts: Pick<ConfigStore, 'addOptOut' | 'removeOptOut' | 'findOptOuts'>;
  /** Set to make opt-out lookups fail as an unreachable config store would. */
  failOptOutLookup: boolean;
  config: RemoteConfigDocument;
  now: number;
}

export const TEST_SECRET = 'test-recipient-secret';

export function fakeSubmission(options: { templates?: readonly Template[] } = {}): FakeSubmission {
  const templates = new Map((options.templates ?? []).map((t) => [t.code, t]));
  const optedOut = new Set<string>();
  const entry = (clientId: string, channel: string, hash: string) => `${clientId} ${channel} ${hash}`;
  const fake: FakeSubmission = {
    accepted: [],
    events: [],
    produced: [],
    failProduce: false,
    failOptOutLookup: false,
    optOuts: {
      async addOptOut(clientId, channel, hash) {
        optedOut.add(entry(clientId, channel, hash));
      },
      async removeOptOut(clientId, channel, hash) {
        optedOut.delete(entry(clientId, channel, hash));
      },
      async findOptOuts(clientId, channel, hashes) {
        if (fake.failOptOutLookup) {
          throw new HeraldError('HERALD_UNAVAILABLE', 'config store unreachable', { retryable: true });
        }
        return new Set(hashes.filter((hash) => optedOut.has(entry(clientId, channel, hash))));
      },
    },
    config: DEFAULT_REMOTE_CONFIG,
    now: Date.UTC(2026, 0, 15, 3, 0, 0),
    context: {
      history: {
        async recordAccepted(request) {
          fake.accepted.push(request);
        },
        async appendEvents(events) {
          fake.events.push(...events);
        },
        async findByKeys(clientId, keys, sinceMs) {
          const found = new Map<string, string>();
          for (const request of fake.accepted) {
            if (request.clientId !== clientId || request.acceptedAt < sinceMs) continue;
            for (const message of request.messages) {
              if (keys.includes(message.key)) found.set(message.key, message.messageId);
            }
          }
          return found;
        },
      },
      transport: {
        async produce(records) {
          if (fake.failProduce) {
            throw new HeraldError('HERALD_UNAVAILABLE', 'broker unreachable', {
              retryable: true,
              retryAfterMs: 2_000,
            });
          }
          fake.produced.push(...records);
        },
      },
      templates: {
        async getTemplate(code) {
          return templates.get(code);
        },
      },
      optOuts: { findOptOuts: (...args) => fake.optOuts.findOptOuts(...args) },
      config: () => fake.config,
      recipientHashSecret: TEST_SECRET,
      now: () => fake.now,
    },
  };
  return fake;
}

export const ORDER_TEMPLATE: Template = {
  code: 'ORDER_SHIPPED',
  channel: 'alimtalk',
  body: '#{name}님, 주문 #{orderNo}이 발송되었습니다.',
  buttons: [],
  updatedAt: 0,
};
