import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TSchema } from 'typebox';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { RemoteConfigDocumentSchema } from '../../src/api/schemas/remote-config.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { MAX_TIMER_MS, REMOTE_CONFIG_BOUNDS } from '../../src/config/remote-config-bounds.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';

const base = DEFAULT_REMOTE_CONFIG;
const problemsOf = (document: unknown) => findRemoteConfigProblems(document, SIMULATOR_VENDORS);

/** The default config as plain mutable data (no shared objects), to break fields of. */
// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));

function assertProblems(problems: readonly string[], expected: readonly RegExp[]): void {
  assert.equal(problems.length, expected.length, problems.join('\n'));
  for (const pattern of expected) {
    assert.ok(
      problems.some((problem) => pattern.test(problem)),
      `${pattern.source} in:\n${problems.join('\n')}`,
    );
  }
}

describe('findRemoteConfigProblems', () => {
  it('finds nothing wrong with the default config', () => {
    assert.deepEqual(problemsOf(base), []);
  });

  it('accepts a document without rateLimits (stored by an older herald)', () => {
    const { rateLimits: _, ...older } = base;
    assert.deepEqual(problemsOf(older), []);
  });

  it('allows a channel whose vendors all weigh 0 (the channel kill switch)', () => {
    const document: RemoteConfigDocument = {
      ...base,
      routing: { ...base.routing, email: [{ vendor: 'sim-email', weight: 0 }] },
    };
    assert.deepEqual(problemsOf(document), []);
  });

  it("takes a vendor's maxPerSecond as a whole number of messages a second, and nothing else", () => {
    const withRate = (maxPerSecond: unknown) => {
      const document = mutable();
      document.vendors.fcm.maxPerSecond = maxPerSecond;
      return problemsOf(document);
    };
    assert.deepEqual(withRate(500), []);
    assert.deepEqual(withRate(0), ['vendors.fcm.maxPerSecond must be >= 1']);
    assert.deepEqual(withRate(2.5), ['vendors.fcm.maxPerSecond must be an integer']);
    assert.deepEqual(withRate('50'), ['vendors.fcm.maxPerSecond must be an integer']);
    assert.deepEqual(withRate(100_001), ['vendors.fcm.maxPerSecond must be <= 100000']);
  });

  it('accepts maxPerSecond on a vendor of every kind (a policy setting, not an adapter field)', () => {
    const document = mutable();
    for (const settings of Object.values(document.vendors) as { maxPerSecond?: number }[]) {
      settings.maxPerSecond = 100;
    }
    assert.deepEqual(problemsOf(document), []);
  });

  it('lists every problem the issue found at once: huge durations and pools, SMS to push, unknown vendor', () => {
    const document = mutable();
    document.vendors['fcm'].timeoutMs = 3e9;
    document.retry.baseDelayMs = 3e9;
    document.lanes.batch.maxInFlight = 1e9;
    document.lanes.realtime.sendConcurrency = 1e9;
    document.routing.sms = [{ vendor: 'fcm', weight: 1 }];
    document.routing.email = [{ vendor: 'sim-postmark', weight: 1 }];
    document.vendors['sim-postmark'] = {
      timeoutMs: 5_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 10_000,
    };
    assertProblems(problemsOf(document), [
      /^vendors\.fcm\.timeoutMs must be <= 60000/,
      /^retry\.baseDelayMs must be <= 600000/,
      /^lanes\.batch\.maxInFlight must be <= 20000/,
      /^lanes\.realtime\.sendConcurrency must be <= 1000/,
      /^routing\.sms\[0\]: vendor "fcm" does not serve sms \(it serves push\)/,
      /^routing\.email\[0\]: vendor "sim-postmark" has no adapter in this deployment \(vendors: fcm, /,
      // A time limit that large also outlives the dedup reservation, and retry's base its maximum.
      /^vendors\.fcm\.timeoutMs \(3000000000\) must be below dedup\.reserveTtlMs/,
      /^retry\.baseDelayMs must not exceed retry\.maxDelayMs/,
    ]);
  });

  it('lists the cross-field rules with the range errors', () => {
    const document = mutable();
    document.routing.sms = [
      { vendor: 'nhn-sms', weight: 1 },
      { vendor: 'nhn-sms', weight: -2 },
    ];
    document.vendors['fcm'].timeoutMs = 60_000;
    document.lanes.batch = { ...document.lanes.batch, maxInFlight: 10, batchSize: 100 };
    document.rateLimits.clients = { shop: { ...document.rateLimits.default, recipientsPerSecond: 99 } };
    delete document.vendors['solapi-vms'];
    assertProblems(problemsOf(document), [
      /^routing\.sms\[1\]\.weight must be >= 0/,
      /^routing\.sms\[1\]: vendor "nhn-sms" is listed twice/,
      /^vendors\.fcm\.timeoutMs \(60000\) must be below dedup\.reserveTtlMs/,
      /^lanes\.batch\.maxInFlight must be >= batchSize/,
      /^rateLimits\.clients\.shop\.recipientsPerSecond must be >= 100/,
      /^routing\.vms\[0\]: vendor "solapi-vms" has no entry in vendors/,
    ]);
  });

  it('lists every shape error and skips the rules that need the shape', () => {
    const document = mutable();
    delete document.routing.vms;
    document.smsAutoUpgrade = 'yes';
    document.lanes.ad.sendConcurrency = '10';
    document.retyr = {};
    assertProblems(problemsOf(document), [
      /^routing\.vms is required/,
      /^smsAutoUpgrade must be a boolean/,
      /^lanes\.ad\.sendConcurrency must be an integer/,
      /^retyr is not a known field/,
    ]);
    assertProblems(problemsOf('a string'), [/^the document must be an object/]);
  });

  it('refuses a client id with control characters and a vendor id in capitals', () => {
    const document = mutable();
    document.rateLimits.clients = { 'shop\n': document.rateLimits.default };
    document.vendors['SIM-X'] = document.vendors['fcm'];
    assertProblems(problemsOf(document), [
      /^rateLimits\.clients\["shop\\n"\] is not a known field/,
      /^vendors\.SIM-X is not a known field/,
    ]);
  });
});

describe('remote config bounds', () => {
  /** Every number in the schema, by path, with its range. */
  function numbersIn(schema: TSchema, path: string, found: Map<string, TSchema>): Map<string, TSchema> {
    const node = schema as Record<string, unknown>;
    if (node.type === 'integer' || node.type === 'number') found.set(path, schema);
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, TSchema>)) {
      numbersIn(child, `${path}.${key}`, found);
    }
    for (const child of Object.values((node.patternProperties ?? {}) as Record<string, TSchema>)) {
      numbersIn(child, `${path}.*`, found);
    }
    if (node.items) numbersIn(node.items as TSchema, `${path}[]`, found);
    return found;
  }

  it('gives every number of the document a lower and an upper bound, documented in its description', () => {
    const numbers = numbersIn(RemoteConfigDocumentSchema, 'document', new Map());
    assert.ok(numbers.size >= 25, `found ${numbers.size}`);
    for (const [path, schema] of numbers) {
      const { minimum, maximum, description } = schema as {
        minimum?: number;
        maximum?: number;
        description?: string;
      };
      assert.equal(typeof minimum, 'number', `${path} has a minimum`);
      assert.equal(typeof maximum, 'number', `${path} has a maximum`);
      assert.ok(description?.includes(`${minimum}..${maximum}`), `${path} documents ${minimum}..${maximum}`);
    }
  });

  it('keeps every duration below the largest delay a Node timer honours', () => {
    for (const [name, bound] of Object.entries(REMOTE_CONFIG_BOUNDS)) {
      if (bound.unit === 'ms') assert.ok(bound.max <= MAX_TIMER_MS, name);
      if (bound.unit === 's') assert.ok(bound.max * 1_000 <= MAX_TIMER_MS, name);
    }
  });
});
