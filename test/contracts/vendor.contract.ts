import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { Vendor } from '../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';
import type { SimulatedError } from '../../src/simulators/vendor-error-catalogue.ts';
import { until } from '../vendors/http2/until.ts';
import { within } from './contract-helpers.ts';

/** A real vendor adapter pointed at the simulator speaking its vendor's contract. */
export interface VendorContractSubject {
  readonly vendor: Vendor;
  readonly sim: SimulatorServer;
  /** The simulated vendor the adapter talks to (its counts, behaviour and tokens). */
  readonly vendorId: string;
  /** A message this vendor can deliver, with a fresh message id, to `token` (a fresh one if omitted). */
  message(token?: string): OutboundMessage;
  /** The vendor's own codes for a permanent rejection (FCM 400 INVALID_ARGUMENT) and an outage (503). */
  readonly errors: { readonly permanent: SimulatedError; readonly unavailable: SimulatedError };
  /**
   * Vendors whose credentials expire and are renewed (FCM access tokens, APNs provider tokens):
   * make the ones the adapter holds stale, and count those the vendor side issued or accepted.
   */
  readonly renewal?: {
    staleCredentials(): void | Promise<void>;
    credentialsIssued(): number;
  };
  /** Push vendors: the recipient's token declared dead at the vendor (HERALD_TOKEN_INVALID). */
  readonly deadRecipient?: (message: OutboundMessage) => void | Promise<void>;
  /**
   * The same adapter built with a wrong secret (text vendors: another secret key or API secret):
   * its sends must fail HERALD_VENDOR_AUTH, for good and as the vendor's fault.
   */
  readonly withWrongSecret?: () => Vendor;
  /** How the connections to the vendor can be cut: HTTP/2 (push) or HTTP/1.1 keep-alive (text vendors). */
  readonly connections: {
    /** Cuts every connection now; returns how many there were. */
    drop(): number;
    /** Connections opened so far. */
    opened(): number;
    /** HTTP/2: a graceful GOAWAY on every session. */
    goAway?(): void;
  };
  cleanup(): Promise<void>;
}

/** Which of the optional parts of the contract a vendor has (the subject must then provide it). */
export interface VendorFeatures {
  /** Credentials that expire and are renewed (subject.renewal). */
  readonly renewsCredentials: boolean;
  /** Device tokens the vendor can declare dead (subject.deadRecipient). */
  readonly deviceTokens: boolean;
  /** A shared secret that can be wrong (subject.withWrongSecret). */
  readonly sharedSecret: boolean;
  /**
   * Vendors with a bulk side (vendor.bulk): how they refuse one bad recipient of a bulk call, in
   * its own result (NHN sendResultList, SOLAPI failedMessageList) or by refusing the call (SENS).
   */
  readonly bulk?: 'per-message' | 'whole-call';
}

/** A time limit far above any healthy call on loopback; a hang is cut by it. */
const HANG_LIMIT_MS = 300;

/**
 * What the pipeline relies on from every vendor adapter, run against its simulator at the wire:
 * success, permanent and retryable rejections classified by the vendor's codes, an abort that
 * really cancels the call, credentials renewed, a dead connection replaced.
 */
export function describeVendorContract(
  name: string,
  features: VendorFeatures,
  factory: () => Promise<VendorContractSubject>,
): void {
  // A part the vendor does not have is left out, not skipped: there is nothing to test.
  const optional = (present: boolean) => (present ? it : () => undefined);
  describe(`${name} vendor contract`, () => {
    let subject: VendorContractSubject;
    const send = (message: OutboundMessage, signal: AbortSignal = AbortSignal.timeout(10_000)) =>
      subject.vendor.send(message, signal);
    const failure = async (message: OutboundMessage, signal?: AbortSignal): Promise<HeraldError> => {
      const error = await send(message, signal).then(
        () => assert.fail('the send should have failed'),
        (cause: unknown) => cause,
      );
      assert.equal((error as Error).name, 'HeraldError');
      return error as HeraldError;
    };

    beforeEach(async () => {
      subject = await factory();
    });
    afterEach(() => subject.cleanup());

    it("delivers a message once and returns the vendor's id for it", async () => {
      const message = subject.message();
      const receipt = await send(message);
      assert.equal(typeof receipt.vendorMessageId, 'string');
      assert.notEqual(receipt.vendorMessageId, '');
      assert.equal(subject.sim.countFor(subject.vendorId, message.messageId), 1);
    });

    optional(features.deviceTokens)('fails a dead token for good with HERALD_TOKEN_INVALID', async () => {
      const message = subject.message();
      await subject.deadRecipient!(message);
      const error = await failure(message);
      assert.equal(error.code, 'HERALD_TOKEN_INVALID');
      assert.equal(error.retryable, false);
      assert.equal(subject.sim.countFor(subject.vendorId, message.messageId), 0);
    });

    it('fails a permanent rejection as not retryable, with the vendor code', async () => {
      subject.sim.setBehaviour(subject.vendorId, { errorShare: 1, errors: [subject.errors.permanent] });
      const error = await failure(subject.message());
      assert.ok(['HERALD_VENDOR_REJECTED', 'HERALD_RECIPIENT_INVALID'].includes(error.code), error.code);
      assert.equal(error.retryable, false);
      assert.equal(error.vendorCode, subject.errors.permanent.code);
    });

    it('fails a rate-limited call as retryable after the Retry-After delay', async () => {
      subject.sim.setBehaviour(subject.vendorId, { rateLimitPerSecond: 1 });
      await send(subject.message());
      const error = await failure(subject.message());
      assert.equal(error.code, 'HERALD_VENDOR_RATE_LIMITED');
      assert.equal(error.retryable, true);
      assert.ok((error.retryAfterMs ?? 0) >= 1_000, `retryAfterMs ${error.retryAfterMs}`);
    });

    it("fails an outage as retryable and the vendor's fault", async () => {
      subject.sim.setBehaviour(subject.vendorId, { errorShare: 1, errors: [subject.errors.unavailable] });
      const error = await failure(subject.message());
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.retryable, true);
      assert.equal(error.vendorFault, true);
    });

    it('honours an abort within the time limit and really cancels the call', async () => {
      subject.sim.setBehaviour(subject.vendorId, { hangShare: 1 });
      const error = await within(
        5_000,
        'the aborted send',
        failure(subject.message(), AbortSignal.timeout(HANG_LIMIT_MS)),
      );
      assert.equal(error.code, 'HERALD_VENDOR_TIMEOUT');
      assert.equal(error.retryable, true);
      // The vendor side saw the caller hang up (the stream was reset, not left open).
      await until(() => subject.sim.hangUps(subject.vendorId) === 1, 'the simulator seeing the hang-up');
    });

    optional(features.renewsCredentials)('renews its credentials when they go stale', async () => {
      const renewal = subject.renewal!;
      await send(subject.message());
      const issued = renewal.credentialsIssued();
      await renewal.staleCredentials();
      const message = subject.message();
      await send(message);
      assert.equal(renewal.credentialsIssued(), issued + 1);
      assert.equal(subject.sim.countFor(subject.vendorId, message.messageId), 1);
    });

    optional(features.sharedSecret)(
      "fails for good as the vendor's fault when its secret is wrong",
      async () => {
        const vendor = subject.withWrongSecret!();
        try {
          const message = subject.message();
          const error = await vendor.send(message, AbortSignal.timeout(10_000)).then(
            () => assert.fail('the send should have failed'),
            (cause: unknown) => cause as HeraldError,
          );
          assert.equal(error.code, 'HERALD_VENDOR_AUTH');
          assert.equal(error.retryable, false);
          assert.equal(error.vendorFault, true);
          assert.equal(subject.sim.countFor(subject.vendorId, message.messageId), 0);
        } finally {
          await vendor.close();
        }
      },
    );

    if (features.bulk !== undefined) describeBulk(features.bulk, () => subject);

    it('replaces a dead connection, and one the vendor sent away', async () => {
      await send(subject.message());
      const opened = subject.connections.opened();
      assert.ok(subject.connections.drop() >= 1);
      const afterDrop = subject.message();
      await send(afterDrop);
      assert.ok(subject.connections.opened() > opened, 'a new connection after the drop');
      assert.equal(subject.sim.countFor(subject.vendorId, afterDrop.messageId), 1);
      if (subject.connections.goAway === undefined) return;
      subject.connections.goAway();
      const afterGoAway = subject.message();
      await send(afterGoAway);
      assert.equal(subject.sim.countFor(subject.vendorId, afterGoAway.messageId), 1);
    });
  });
}

/**
 * The bulk side the batch and ad lanes send through: many messages in one call (counted by the
 * simulated vendor), each with its own result, a bad recipient refused alone or with its call,
 * a vendor outage failing the call whole with nothing delivered.
 */
function describeBulk(refusal: 'per-message' | 'whole-call', current: () => VendorContractSubject): void {
  const calls = (subject: VendorContractSubject) => subject.sim.stats().vendors[subject.vendorId]?.calls ?? 0;
  const sendMany = (subject: VendorContractSubject, messages: readonly OutboundMessage[]) =>
    subject.vendor.bulk!.sendMany(messages, AbortSignal.timeout(10_000));
  /** Messages of one group key, as the lanes group them: the same content to five recipients. */
  const group = (subject: VendorContractSubject, count: number) => {
    const first = subject.message();
    return Array.from({ length: count }, (_, i) =>
      i === 0 ? first : { ...subject.message(), body: first.body, subject: first.subject, from: first.from },
    );
  };

  it('carries many messages in one call, each delivered once with its own receipt', async () => {
    const subject = current();
    const messages = group(subject, 5);
    const keys = new Set(messages.map((message) => subject.vendor.bulk!.groupKey(message)));
    assert.equal(keys.size, 1, 'the same content and sender share a group key');
    const before = calls(subject);
    const results = await sendMany(subject, messages);
    assert.equal(calls(subject) - before, 1);
    assert.equal(results.length, messages.length);
    for (const [i, result] of results.entries()) {
      assert.notEqual((result as Error).name, 'HeraldError', `message ${i} was refused`);
      assert.equal(subject.sim.countFor(subject.vendorId, messages[i]!.messageId), 1);
    }
  });

  it(
    refusal === 'per-message'
      ? 'refuses a bad recipient in its own result and delivers the others'
      : 'is refused whole for a bad recipient, for good, and delivers none',
    async () => {
      const subject = current();
      const messages = group(subject, 3);
      messages[1] = { ...messages[1]!, to: '12' };
      if (refusal === 'whole-call') {
        const error = (await sendMany(subject, messages).then(
          () => assert.fail('the call should have been refused'),
          (cause: unknown) => cause,
        )) as HeraldError;
        assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
        assert.equal(error.retryable, false);
      } else {
        const results = await sendMany(subject, messages);
        const refused = results[1] as HeraldError;
        assert.equal(refused.name, 'HeraldError');
        assert.equal(refused.retryable, false);
        assert.equal((results[0] as Error).name, undefined);
        assert.equal((results[2] as Error).name, undefined);
      }
      const delivered = messages.map((message) => subject.sim.countFor(subject.vendorId, message.messageId));
      assert.deepEqual(delivered, refusal === 'per-message' ? [1, 0, 1] : [0, 0, 0]);
    },
  );

  it('fails the whole call on an outage, retryable, with none of it delivered', async () => {
    const subject = current();
    subject.sim.setBehaviour(subject.vendorId, { errorShare: 1, errors: [subject.errors.unavailable] });
    const messages = group(subject, 4);
    const error = (await sendMany(subject, messages).then(
      () => assert.fail('the call should have failed'),
      (cause: unknown) => cause,
    )) as HeraldError;
    assert.equal(error.retryable, true);
    for (const message of messages)
      assert.equal(subject.sim.countFor(subject.vendorId, message.messageId), 0);
  });
}

/** A message id the simulator has never seen. */
export function freshMessageId(): string {
  return randomUUID();
}
