import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { decodeHistoryRecord, HISTORY_TOPIC } from '../../../src/core/history/history-log.ts';
import type { SubmissionContext, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import type { AlimTalkTemplate } from '../../../src/core/templates/alimtalk-template.ts';
import type { ConfigStore } from '../../../src/ports/config-store.ts';
import type { DedupStore } from '../../../src/ports/dedup-store.ts';
import type { AcceptedRequest, MessageEvent } from '../../../src/ports/history-store.ts';
import type { IdempotencyStore } from '../../../src/ports/idempotency-store.ts';
import type { EmailSender, KakaoChannel, SenderNumber } from '../../../src/ports/sender-registry.ts';
import type { OutgoingRecord } from '../../../src/ports/transport.ts';
import { approvedTemplate } from '../../support/templates.ts';

/**
 * An object-literal SubmissionContext that records what the use-case wrote, for assertions. Its
 * content claims follow the dedup store's contract on the fake clock (`now`).
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
  /** The idempotency records, as an in-memory store following the port's contract (no expiry). */
  readonly idempotencyRecords: Map<string, FakeRecord>;
  /** Set to make every idempotency store call fail as an unreachable Redis would. */
  failIdempotency: boolean;
  /** Content claims held: key -> the message holding it and when the claim lapses (fake clock). */
  readonly contentClaims: Map<string, { readonly messageId: string; readonly expiresAt: number }>;
  /** Set to make content claims fail as an unreachable dedup store would. */
  failDedup: boolean;
  /** Keyed requests accepted without their record (the context's fail-open counter). */
  idempotencyFailOpens: number;
  /**
   * Makes the next produce calls wait until `release()`; `reached` resolves once one is waiting.
   * Overlaps two requests deterministically, with no timing.
   */
  holdProduce(): { readonly reached: Promise<void>; release(): void };
  /**
   * Each client's sender registration, as the sender registry would answer it. A client without an
   * entry has TEST_SENDERS (a default number and Kakao channel), so tests that are not about
   * senders need not register any.
   */
  readonly senders: Map<string, ClientSenders>;
}

export interface ClientSenders {
  readonly numbers: readonly SenderNumber[];
  readonly channels: readonly KakaoChannel[];
  readonly emailSenders?: readonly EmailSender[];
}

/** The default e-mail sender every fake client sends from. */
export const TEST_EMAIL_SENDER = 'no-reply@shop.example';

/** The default number every fake client sends from. */
export const TEST_SENDER_NUMBER = '0212345678';

/** A default number, and a default Kakao channel known to every AlimTalk vendor of the default config. */
export const TEST_SENDERS: ClientSenders = {
  numbers: [{ number: TEST_SENDER_NUMBER, isDefault: true, registeredAt: 0 }],
  emailSenders: [{ address: TEST_EMAIL_SENDER, isDefault: true, registeredAt: 0 }],
  channels: [
    {
      name: '@test-shop',
      senderIds: Object.fromEntries(
        DEFAULT_REMOTE_CONFIG.routing.alimtalk.map((route) => [route.vendor, `@test-shop-${route.vendor}`]),
      ),
      isDefault: true,
      registeredAt: 0,
    },
  ],
};

export type FakeRecord =
  | { readonly state: 'in-progress'; readonly token: string; readonly fingerprint: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly answer: string };

export const TEST_SECRET = 'test-recipient-secret';

export function fakeSubmission(options: { templates?: readonly AlimTalkTemplate[] } = {}): FakeSubmission {
  const templates = new Map((options.templates ?? []).map((t) => [`${t.clientId} ${t.code}`, t]));
  const optedOut = new Set<string>();
  const entry = (clientId: string, channel: string, hash: string) => `${clientId} ${channel} ${hash}`;
  let hold: { reached: () => void; released: Promise<void> } | undefined;
  const idempotencyRecords = new Map<string, FakeRecord>();
  const contentClaims: FakeSubmission['contentClaims'] = new Map();
  const senders = new Map<string, ClientSenders>();
  const sendersOf = (clientId: string) => senders.get(clientId) ?? TEST_SENDERS;
  const fake: FakeSubmission = {
    senders,
    accepted: [],
    events: [],
    produced: [],
    failProduce: false,
    failOptOutLookup: false,
    idempotencyRecords,
    contentClaims,
    failDedup: false,
    failIdempotency: false,
    idempotencyFailOpens: 0,
    holdProduce() {
      let reached!: () => void;
      let release!: () => void;
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { reached, released };
      return {
        reached: reachedPromise,
        release() {
          hold = undefined;
          release();
        },
      };
    },
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
        async appendEvents(events) {
          fake.events.push(...events);
        },
      },
      dedup: fakeContentClaims(
        contentClaims,
        () => fake.now,
        () => fake.failDedup,
      ),
      transport: {
        async produce(records) {
          if (hold) {
            hold.reached();
            await hold.released;
          }
          if (fake.failProduce) {
            throw new HeraldError('HERALD_UNAVAILABLE', 'broker unreachable', {
              retryable: true,
              retryAfterMs: 2_000,
            });
          }
          // The request's record goes to the history log with its messages: kept apart for assertions.
          for (const record of records) {
            const change = record.topic === HISTORY_TOPIC ? decodeHistoryRecord(record.value) : undefined;
            if (change?.kind === 'accepted') fake.accepted.push(change.request);
            else fake.produced.push(record);
          }
        },
      },
      templates: {
        async get(clientId, code) {
          return templates.get(`${clientId} ${code}`);
        },
      },
      idempotency: fakeIdempotencyStore(idempotencyRecords, () => fake.failIdempotency),
      countIdempotencyFailOpen: () => {
        fake.idempotencyFailOpens += 1;
      },
      optOuts: { findOptOuts: (...args) => fake.optOuts.findOptOuts(...args) },
      senders: {
        listSenderNumbers: async (clientId) => [...sendersOf(clientId).numbers],
        listKakaoChannels: async (clientId) => [...sendersOf(clientId).channels],
        listEmailSenders: async (clientId) => [...(sendersOf(clientId).emailSenders ?? [])],
      },
      config: () => fake.config,
      recipientHashSecret: TEST_SECRET,
      now: () => fake.now,
    },
  };
  return fake;
}

/** The dedup store's content claims over `claims`: first claim wins, expiry on the fake clock. */
function fakeContentClaims(
  claims: FakeSubmission['contentClaims'],
  now: () => number,
  failing: () => boolean,
): Pick<DedupStore, 'claimFirst' | 'releaseClaims'> {
  const reachable = () => {
    if (failing())
      throw new HeraldError('HERALD_UNAVAILABLE', 'dedup store unreachable', { retryable: true });
  };
  return {
    async claimFirst(entries, windowMs) {
      reachable();
      const held = new Map<string, string>();
      const claimedHere = new Set<string>();
      for (const { key, messageId } of entries) {
        if (claimedHere.has(key)) continue;
        const current = claims.get(key);
        if (current !== undefined && current.expiresAt > now()) {
          held.set(key, current.messageId);
        } else {
          claims.set(key, { messageId, expiresAt: now() + windowMs });
          claimedHere.add(key);
        }
      }
      return held;
    },
    async releaseClaims(entries) {
      reachable();
      for (const { key, messageId } of entries) {
        if (claims.get(key)?.messageId === messageId) claims.delete(key);
      }
    },
  };
}

/** The idempotency port over `fake.idempotencyRecords`: claim, complete and release as the contract says. */
function fakeIdempotencyStore(
  records: Map<string, FakeRecord>,
  failing: () => boolean,
): Pick<IdempotencyStore, 'claim' | 'complete' | 'release'> {
  let tokens = 0;
  const reachable = () => {
    if (failing()) {
      throw new HeraldError('HERALD_UNAVAILABLE', 'idempotency store unreachable', { retryable: true });
    }
  };
  return {
    async claim(key, fingerprint) {
      reachable();
      const record = records.get(key);
      if (record?.state === 'completed') return record;
      if (record) return { state: 'in-progress', fingerprint: record.fingerprint };
      const token = `token-${++tokens}`;
      records.set(key, { state: 'in-progress', token, fingerprint });
      return { state: 'claimed', token };
    },
    async complete(key, token, record) {
      reachable();
      const current = records.get(key);
      if (current === undefined || (current.state === 'in-progress' && current.token === token)) {
        records.set(key, { state: 'completed', ...record });
      }
    },
    async release(key, token) {
      reachable();
      const current = records.get(key);
      if (current?.state === 'in-progress' && current.token === token) records.delete(key);
    },
  };
}

export const ORDER_TEMPLATE: AlimTalkTemplate = approvedTemplate({
  clientId: 'shop',
  code: 'ORDER_SHIPPED',
  body: '#{name}님, 주문 #{orderNo}이 발송되었습니다.',
});

/** Two SMS recipients with a variable each: the request most use-case tests start from. */
export const smsRequest: SubmissionRequest = {
  clientId: 'shop',
  channel: 'sms',
  lane: 'realtime',
  content: { body: '#{name}님 주문이 접수되었습니다' },
  recipients: [
    { to: '010-1234-5678', vars: { name: '김' } },
    { to: '+82 10 2222 3333', vars: { name: '이' } },
  ],
};

/** The envelopes of produced records, as a worker decodes them. */
export function envelopes(records: readonly { value: string }[]): Envelope[] {
  return records.map((record) => JSON.parse(record.value) as Envelope);
}
