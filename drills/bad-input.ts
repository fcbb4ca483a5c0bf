import fc from 'fast-check';
import { ERROR_CODES } from '../src/core/domain/errors.ts';
import { startTestHerald, TEST_KEY } from '../test/support/herald-harness.ts';
import { liftRateLimits } from '../test/support/lifted-rate-limits.ts';
import type { DrillOptions, Verdict } from './support/verdict.ts';

export interface BadInputOptions extends Pick<DrillOptions, 'log'> {
  /** Generated requests (10k for the drill). */
  readonly requests: number;
  readonly seed?: number;
}

interface GeneratedRequest {
  readonly body: string;
  readonly contentType: string | undefined;
  readonly idempotencyKey: string | undefined;
}

const phone = fc.oneof(
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `010${n}`),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '+82-10-1234-5678', '010-1234-567', '01O12345678', '0101234567890123', '☎️010'),
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('안녕하세요', '😀🚀 emoji', '(광고) 세일', '#{name} 님', '\u0000\uFFFF', '𠜎 rare'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const valid = () => ({
  channel: 'sms' as unknown,
  lane: 'batch' as unknown,
  content: { body: 'bad input drill' } as unknown,
  recipients: [{ to: '01012345678' }] as unknown,
});

/** Bodies one mutation away from valid: the shapes a careless client really sends. */
const nearValid = fc
  .record({
    field: fc.constantFrom(
      'channel',
      'lane',
      'content',
      'recipients',
      'template',
      'sender',
      'expiresInSeconds',
      'extra',
    ),
    value: fc.oneof(
      fc.anything(),
      text,
      fc.constantFrom('sms', 'push', 'email', 'fax', 'realtime', 'ad', null),
      fc.array(fc.record({ to: phone }), { minLength: 0, maxLength: 101 }),
      fc.integer({ min: 101, max: 300 }).map((n) => Array.from({ length: n }, () => ({ to: '01012345678' }))),
      fc.record({ body: text, subject: fc.option(text) }),
      fc.record({ code: text, vars: fc.dictionary(fc.string(), fc.anything()) }),
    ),
    drop: fc.boolean(),
  })
  .map(({ field, value, drop }) => {
    const body: Record<string, unknown> = valid();
    if (drop) delete body[field];
    else body[field] = value;
    return JSON.stringify(body);
  });

/** Anything at all: JSON of any shape, malformed JSON, random text. */
const garbage = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.constantFrom('', '{', '{"channel":', 'null', '[]', '{"recipients": [', '\u0000', '{"a":1}{"b":2}'),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

const generated: fc.Arbitrary<GeneratedRequest> = fc.record({
  body: fc.oneof({ arbitrary: nearValid, weight: 3 }, { arbitrary: garbage, weight: 1 }),
  contentType: fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data',
        'application/json; charset=latin1',
        undefined,
      ),
      weight: 1,
    },
  ),
  idempotencyKey: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: fc.oneof(fc.constant(''), fc.string({ maxLength: 300 })), weight: 1 },
  ),
});

/**
 * DESIGN.md: bad input gets a 4xx with a stable machine-readable code and a clear message, never a
 * 5xx. Generated requests (fast-check) against herald in this process on the embedded default.
 */
export async function runBadInputDrill(options: BadInputOptions): Promise<Verdict> {
  const h = await startTestHerald();
  // The drill is about the validators: its thousands of requests a second must reach them.
  await liftRateLimits(h);
  let crashes = 0;
  const onCrash = () => {
    crashes += 1;
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const counts = new Map<number, number>();
  const problems: string[] = [];
  const seed = options.seed ?? Date.now() % 2_147_483_647;
  try {
    const samples = fc.sample(generated, { numRuns: options.requests, seed });
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < samples.length; i = next++) {
        const problem = await check(h.url, samples[i]!, counts);
        if (problem) problems.push(problem);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const alive = (await fetch(`${h.url}/health`)).status < 500;
    const fivexx = [...counts].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const broken: string[] = [];
    if (fivexx > 0) broken.push(`${fivexx} answers 5xx`);
    if (problems.length > 0)
      broken.push(`${problems.length} bad answers, e.g. ${problems.slice(0, 3).join(' | ')}`);
    if (crashes > 0 || !alive) broken.push(`${crashes} crashes, alive ${alive}`);
    const accepted = counts.get(202) ?? 0;
    return {
      drill: 'bad-input',
      accepted,
      sent: accepted,
      lost: 0,
      vendorDuplicates: 0,
      endUserDuplicates: 0,
      inFlightAtFault: 'n/a',
      recovered: `${options.requests} generated requests (seed ${seed}): ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}x${n}`)
        .join(' ')}; ${crashes} crashes; herald alive ${alive}`,
      broken,
    };
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await h.stop().catch(() => {});
  }
}

/** Sends one request; a description of what is wrong with the answer, or undefined. */
async function check(
  url: string,
  request: GeneratedRequest,
  counts: Map<number, number>,
): Promise<string | undefined> {
  const headers: Record<string, string> = { authorization: `Bearer ${TEST_KEY}` };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: request.body });
  } catch (error) {
    // The client refused to send it (e.g. a header with control characters): not herald's answer.
    if (error instanceof TypeError && request.idempotencyKey) return undefined;
    return `no answer: ${(error as Error).message}`;
  }
  counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
  const text = await response.text();
  if (response.status >= 500)
    return `${response.status} for ${request.body.slice(0, 80)}: ${text.slice(0, 200)}`;
  if (response.status < 400) return undefined;
  let code: unknown;
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error?.code;
  } catch {
    return `${response.status} without a JSON body: ${text.slice(0, 80)}`;
  }
  if (typeof code !== 'string' || !(code in ERROR_CODES))
    return `${response.status} with uncatalogued code ${String(code)}`;
  return undefined;
}
