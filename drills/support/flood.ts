import { phoneNumbers, TEST_KEY } from '../../test/support/herald-harness.ts';
import { apnsTokens, fcmTokens } from './push-tokens.ts';
import { sleep } from './verdict.ts';

export const PER_REQUEST = 100;

/** One POST /v1/messages answer as the flood saw it. */
export interface Submission {
  /** When the request was sent. */
  readonly sentAt: number;
  /** When its answer came. */
  readonly at: number;
  /** HTTP status, or 0 when the request failed or timed out without an answer. */
  readonly status: number;
  readonly retryAfter: string | null;
  readonly requestId: string | undefined;
  /** The error code of a refusal (e.g. HERALD_...), when the answer carried one. */
  readonly errorCode: string | undefined;
  readonly messageIds: readonly string[];
  /** What the request sent: SMS, push to FCM or APNs tokens, or AlimTalk. */
  readonly kind: FloodKind;
}

export type FloodKind = 'sms' | 'push-fcm' | 'push-apns' | 'alimtalk';

export interface FloodOptions {
  readonly url: string;
  readonly messages: number;
  /** Offset into the phone-number space, so two floods never share a recipient. */
  readonly offset: number;
  /** Recipients per request (default 100, the most one request takes). */
  readonly perRequest?: number;
  /** The client's API key (default: the harness's bootstrap key). */
  readonly apiKey?: string;
  /**
   * On 429 HERALD_RATE_LIMITED, wait Retry-After and send the same request again, as a polite
   * client does (default); false: count the refusal as the request's answer and go on.
   */
  readonly honourRetryAfter?: boolean;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** When set, requests start no faster than this many messages a second (a steady offered load). */
  readonly messagesPerSecond?: number;
  readonly lane?: string;
  readonly requestTimeoutMs?: number;
  readonly onSubmission?: (submission: Submission) => void;
  /** When set, the flood stops early (before its next request) once this returns true. */
  readonly stop?: () => boolean;
  /**
   * Share of the requests (0..1, default 0) sent as push instead of SMS, alternating FCM and APNs
   * tokens: the same flood then drives the real push adapters too.
   */
  readonly pushShare?: number;
  /**
   * Share of the requests (0..1, default 0) sent as AlimTalk with this template (registered and
   * approved for the client before the flood: drills/support/drill-alimtalk.ts), so the same flood
   * drives the AlimTalk adapters, Kakao's result look-ups and the fallback SMS too.
   */
  readonly alimtalkShare?: number;
  readonly alimtalkTemplate?: FloodTemplate;
}

/** The AlimTalk template of a flood's AlimTalk requests, and its variables. */
export interface FloodTemplate {
  readonly code: string;
  readonly vars: Readonly<Record<string, string>>;
}

export interface FloodResult {
  readonly submissions: readonly Submission[];
  /** Message ids of every 202. */
  readonly messageIds: readonly string[];
  /** 429 answers that were waited out and sent again (honourRetryAfter), not in `submissions`. */
  readonly rateLimited: number;
}

/**
 * Sends `messages` SMS (and push, `pushShare`, and AlimTalk, `alimtalkShare`) in requests of `perRequest`. Nothing is retried but a rate-limited request
 * (which accepted nothing), so every other answer is counted once.
 */
export async function flood(options: FloodOptions): Promise<FloodResult> {
  const perRequest = options.perRequest ?? PER_REQUEST;
  const requests = Math.ceil(options.messages / perRequest);
  const submissions: Submission[] = [];
  const started = Date.now();
  let rateLimited = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests || options.stop?.()) return;
      if (options.messagesPerSecond) {
        const due = started + ((i * perRequest) / options.messagesPerSecond) * 1_000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const count = Math.min(perRequest, options.messages - i * perRequest);
      const kind = kindOf(i, options.pushShare ?? 0, options.alimtalkShare ?? 0);
      const recipients = recipientsOf(kind, count, options.offset + i * perRequest);
      let submission = await submit(options, kind, recipients);
      while (submission.status === 429 && options.honourRetryAfter !== false && !options.stop?.()) {
        rateLimited += 1;
        await sleep(Number(submission.retryAfter ?? 1) * 1_000);
        submission = await submit(options, kind, recipients);
      }
      submissions.push(submission);
      options.onSubmission?.(submission);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return { submissions, messageIds: submissions.flatMap((s) => s.messageIds), rateLimited };
}

/**
 * Request `i` of a flood with `pushShare` of push and `alimtalkShare` of AlimTalk: the requests that
 * are not SMS spread evenly over the flood, and push and AlimTalk spread evenly among them, FCM and
 * APNs taking turns (without AlimTalk, the very kinds a flood had before it existed).
 */
function kindOf(i: number, pushShare: number, alimtalkShare: number): FloodKind {
  const otherShare = pushShare + alimtalkShare;
  if (!isNth(i, otherShare)) return 'sms';
  const other = Math.floor(i * otherShare);
  if (!isNth(other, pushShare / otherShare)) return 'alimtalk';
  return Math.floor(other * (pushShare / otherShare)) % 2 === 0 ? 'push-fcm' : 'push-apns';
}

/** Whether item `i` is one of a `share` (0..1) picked evenly from a sequence. */
function isNth(i: number, share: number): boolean {
  return Math.floor((i + 1) * share) > Math.floor(i * share);
}

function recipientsOf(kind: FloodKind, count: number, offset: number): string[] {
  if (kind === 'push-fcm') return fcmTokens(count, offset);
  if (kind === 'push-apns') return apnsTokens(count, offset);
  return phoneNumbers(count, offset);
}

/** Message ids of the accepted requests of these kinds. */
export function messageIdsOf(result: FloodResult, ...kinds: FloodKind[]): string[] {
  return result.submissions.filter((s) => kinds.includes(s.kind)).flatMap((s) => s.messageIds);
}

/** The POST /v1/messages body of one request of the flood. */
function requestBody(options: FloodOptions, kind: FloodKind, recipients: readonly string[]) {
  const common = { lane: options.lane ?? 'batch', recipients: recipients.map((to) => ({ to })) };
  if (kind === 'sms') return { ...common, channel: 'sms', content: { body: 'herald drill' } };
  if (kind !== 'alimtalk') {
    return { ...common, channel: 'push', content: { subject: 'herald', body: 'herald drill' } };
  }
  if (!options.alimtalkTemplate) throw new Error('a flood with alimtalkShare needs alimtalkTemplate');
  return { ...common, channel: 'alimtalk', template: options.alimtalkTemplate };
}

async function submit(
  options: FloodOptions,
  kind: FloodKind,
  recipients: readonly string[],
): Promise<Submission> {
  const body = requestBody(options, kind, recipients);
  const sentAt = Date.now();
  try {
    const response = await fetch(`${options.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey ?? TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
    });
    const text = await response.text();
    const json =
      response.status === 202
        ? (JSON.parse(text) as { requestId: string; messages: { messageId?: string }[] })
        : undefined;
    return {
      sentAt,
      at: Date.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      requestId: json?.requestId,
      errorCode: json ? undefined : errorCodeOf(text),
      messageIds: json ? json.messages.flatMap((m) => (m.messageId ? [m.messageId] : [])) : [],
      kind,
    };
  } catch {
    return {
      sentAt,
      at: Date.now(),
      status: 0,
      retryAfter: null,
      requestId: undefined,
      errorCode: undefined,
      messageIds: [],
      kind,
    };
  }
}

/** Counts of each status among `submissions`, e.g. "202x150 503x12". */
export function statusCounts(submissions: readonly Submission[]): string {
  const counts = new Map<number, number>();
  for (const s of submissions) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status === 0 ? 'no-answer' : status}x${n}`).join(' ');
}

function errorCodeOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** Refusals in words ("503 HERALD_X with Retry-After x3"), and the ones that break a promise. */
export function refusals(submissions: readonly Submission[]): { text: string; broken: string[] } {
  const counts = new Map<string, number>();
  const broken: string[] = [];
  for (const s of submissions) {
    if (s.status === 202) continue;
    const key = `${s.status || 'no-answer'} ${s.errorCode ?? ''}${s.retryAfter ? ' with Retry-After' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    if (!key.startsWith('503') || !key.endsWith('with Retry-After')) broken.push(`${n} answers ${key}`);
  }
  const text = [...counts].map(([key, n]) => `${key} x${n}`).join(', ');
  return { text: text || 'none', broken };
}
