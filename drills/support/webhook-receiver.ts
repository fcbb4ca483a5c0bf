import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One status change a callback batch carried: `messageId` went to `status`. */
export interface ReceivedChange {
  readonly messageId: string;
  readonly status: string;
}

/**
 * A client's status-callback receiver in the drill's own process (so it outlives any herald process
 * the drill kills): it checks each batch's Standard Webhooks signature with the secret herald
 * answered at registration (docs/callbacks.md), answers 2xx, and keeps, by event id, which message
 * reached which status. At least once: a batch or an event that comes again is counted, not refused.
 */
export class WebhookReceiver {
  readonly #server: Server;
  /** Set once PUT /v1/webhooks answered it; batches before that cannot be verified. */
  secret: string | undefined;
  /** Event id -> the change it carries (first delivery). */
  readonly #events = new Map<string, ReceivedChange>();
  /** `messageId status` of every verified event. */
  readonly #changes = new Set<string>();
  batches = 0;
  readonly #batchIds = new Set<string>();
  /** Batches that came again (same webhook-id): a retry after an answer herald did not get. */
  duplicateBatches = 0;
  /** Events that came again (same event id), across batches. */
  duplicateEvents = 0;
  /** Batches refused: signature missing, wrong, or a body that is not JSON events. */
  badSignatures = 0;
  malformed = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const status = receiver!.#take(request, body);
        response.writeHead(status).end();
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/herald-callbacks`;
  }

  /** Whether `messageId` was reported at `status` by a verified batch. */
  has(messageId: string, status: string): boolean {
    return this.#changes.has(`${messageId} ${status}`);
  }

  /** The changes of `expected` no verified batch carried yet. */
  missing(expected: readonly ReceivedChange[]): ReceivedChange[] {
    return expected.filter((change) => !this.has(change.messageId, change.status));
  }

  /** Waits until every change of `expected` came, or the time is up; answers those that did not. */
  async waitFor(expected: readonly ReceivedChange[], timeoutMs: number): Promise<ReceivedChange[]> {
    const deadline = Date.now() + timeoutMs;
    let missing = this.missing(expected);
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      missing = this.missing(missing);
    }
    return missing;
  }

  get events(): number {
    return this.#events.size;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The answer to one POST: 204 for a verified batch, 401 for a bad signature (herald retries). */
  #take(request: IncomingMessage, body: string): number {
    if (!this.secret || !verified(this.secret, request, body)) {
      this.badSignatures += 1;
      return 401;
    }
    let events: { id: string; data: { messageId: string; status: string } }[];
    try {
      events = (JSON.parse(body) as { events: typeof events }).events;
      if (!Array.isArray(events)) throw new Error('no events');
    } catch {
      this.malformed += 1;
      return 400;
    }
    this.batches += 1;
    const batchId = String(request.headers['webhook-id']);
    if (this.#batchIds.has(batchId)) this.duplicateBatches += 1;
    this.#batchIds.add(batchId);
    for (const event of events) {
      if (this.#events.has(event.id)) {
        this.duplicateEvents += 1;
        continue;
      }
      const change = { messageId: event.data.messageId, status: event.data.status };
      this.#events.set(event.id, change);
      this.#changes.add(`${change.messageId} ${change.status}`);
    }
    return 204;
  }
}

/**
 * Standard Webhooks: `webhook-signature` holds space-separated `v1,<base64>` signatures, each an
 * HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed by the base64 after `whsec_`.
 */
function verified(secret: string, request: IncomingMessage, body: string): boolean {
  const id = request.headers['webhook-id'];
  const timestamp = request.headers['webhook-timestamp'];
  const signatures = request.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    return false;
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((signature) => {
    const [version, value] = signature.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
