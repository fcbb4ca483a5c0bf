import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  type ClientHttp2Session,
  connect,
  constants,
  createServer as createH2Server,
  type IncomingHttpHeaders as H2Headers,
  type Http2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { type DualProtocolPort, listenDualProtocol } from '../../src/simulators/dual-protocol-port.ts';

/**
 * One vendor call through the proxy: by its message key (generic contract) or message id (push,
 * and the Korean text vendors, none of which takes an idempotency key for SMS). A text vendor's
 * call may carry many messages (the batch and ad lanes' bulk sends), so it has a list of ids.
 */
interface Call {
  /** Idempotency-Key of a generic-contract call: herald's message key. */
  readonly key: string | undefined;
  /** herald's message id of a push call (APNs apns-id, FCM data.herald_message_id). */
  readonly messageId: string | undefined;
  /** herald's message ids of a text vendor's call (NHN, SENS, SOLAPI: see textMessageIds), in order. */
  readonly textMessageIds?: readonly string[];
  open: boolean;
  answeredAt: number | undefined;
}

/** What was in flight: generic calls by message key, push and text-vendor calls by message id. */
export interface InFlight {
  readonly keys: string[];
  readonly pushMessageIds: string[];
  readonly textMessageIds: string[];
}

/**
 * A forwarder in front of the simulator for one herald process, counting the vendor calls that
 * process has open right now: at a SIGKILL those are exactly the calls whose outcome herald never
 * learnt, the only ones allowed to reach a vendor twice. Like the simulator it serves HTTP/1.1
 * (the generic contract, the OAuth token endpoint) and h2c (FCM and APNs) on one port; each h2c
 * session of herald gets its own session to the simulator, so stream limits and GOAWAY behave as
 * they would without the proxy. Calls to the token endpoint are forwarded, not counted.
 */
export class CountingHttpProxy {
  readonly #port: DualProtocolPort;
  readonly #closers: (() => void)[];
  readonly #calls: Call[] = [];
  readonly url: string;

  private constructor(port: DualProtocolPort, url: string, closers: (() => void)[]) {
    this.#port = port;
    this.url = url;
    this.#closers = closers;
  }

  static async start(target: string): Promise<CountingHttpProxy> {
    let proxy: CountingHttpProxy | undefined;
    const track = (call: Omit<Call, 'open' | 'answeredAt'>): Call => {
      const tracked = { ...call, open: true, answeredAt: undefined };
      proxy!.#calls.push(tracked);
      return tracked;
    };
    const http1 = createServer((req, res) => forwardHttp1(target, req, res, track));
    const h2 = createH2Server({ settings: { maxConcurrentStreams: 100 } });
    const upstreams = new WeakMap<Http2Session, ClientHttp2Session>();
    const sessions = new Set<Http2Session>();
    h2.on('session', (session) => {
      const upstream = connect(target);
      upstream.on('error', () => session.destroy());
      session.on('error', () => upstream.destroy());
      session.on('close', () => {
        sessions.delete(session);
        upstream.close();
      });
      upstreams.set(session, upstream);
      sessions.add(session);
    });
    h2.on('stream', (stream, headers) => {
      const upstream = upstreams.get(stream.session!);
      if (upstream) forwardH2(upstream, stream, headers, track);
    });
    const port = await listenDualProtocol({
      host: '127.0.0.1',
      port: 0,
      http1,
      http2: (socket) => h2.emit('connection', socket),
    });
    const closers = [
      () => http1.closeAllConnections(),
      () => {
        for (const session of sessions) session.destroy();
      },
    ];
    proxy = new CountingHttpProxy(port, `http://127.0.0.1:${port.port}`, closers);
    return proxy;
  }

  /** Vendor calls forwarded and not yet answered. */
  get open(): number {
    return this.#calls.filter((call) => call.open).length;
  }

  /** Messages carried by the calls forwarded so far (a bulk text call counts each of its messages). */
  get forwardedMessages(): number {
    return this.#calls.reduce((n, call) => n + messagesOf(call), 0);
  }

  /** Push calls (h2c) forwarded and not yet answered. */
  get openPush(): number {
    return this.#calls.filter((call) => call.open && call.messageId !== undefined).length;
  }

  /** Vendor calls forwarded so far. */
  get forwarded(): number {
    return this.#calls.length;
  }

  /** Calls answered in full since `epochMs`. */
  answeredSince(epochMs: number): number {
    return this.#calls.filter((call) => call.answeredAt !== undefined && call.answeredAt >= epochMs).length;
  }

  /** The calls open now, and those answered in full since `epochMs`. */
  openOrAnsweredSince(epochMs: number): { open: InFlight; answered: InFlight } {
    const open: InFlight = { keys: [], pushMessageIds: [], textMessageIds: [] };
    const answered: InFlight = { keys: [], pushMessageIds: [], textMessageIds: [] };
    for (const call of this.#calls) {
      const into = call.open
        ? open
        : call.answeredAt !== undefined && call.answeredAt >= epochMs
          ? answered
          : undefined;
      if (call.key !== undefined) into?.keys.push(call.key);
      if (call.messageId !== undefined) into?.pushMessageIds.push(call.messageId);
      if (call.textMessageIds !== undefined) into?.textMessageIds.push(...call.textMessageIds);
    }
    return { open, answered };
  }

  async close(): Promise<void> {
    for (const close of this.#closers) close();
    await this.#port.close();
  }
}

/** The messages one call carries: each id of a text call, else the one its key or id names. */
function messagesOf(call: Call): number {
  return call.textMessageIds !== undefined ? Math.max(1, call.textMessageIds.length) : 1;
}

type Track = (call: Omit<Call, 'open' | 'answeredAt'>) => Call;

function forwardHttp1(
  target: string,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  track: Track,
): void {
  const upstream = new URL(target);
  const vendorCall = req.url?.startsWith('/vendors/') === true;
  const textCall = !vendorCall && req.method === 'POST' && TEXT_SEND_PATH.test(req.url ?? '');
  if (textCall) {
    // The message ids are in the body (NHN, SOLAPI) or a header (SENS): read it whole, then forward.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const body = Buffer.concat(chunks);
      const call = track({
        key: undefined,
        messageId: undefined,
        textMessageIds: textMessageIds(req.headers, body),
      });
      relayHttp1(upstream, req, res, call, body);
    });
    return;
  }
  const call = vendorCall
    ? track({ key: String(req.headers['idempotency-key'] ?? ''), messageId: undefined })
    : undefined;
  relayHttp1(upstream, req, res, call, undefined);
}

/** The send calls of the text vendors: NHN SMS and AlimTalk, SENS SMS and AlimTalk, SOLAPI send-many. */
const TEXT_SEND_PATH =
  /^\/[^/]+\/(sms\/v3\.0\/appKeys\/[^/]+\/sender\/|alimtalk\/v2\.3\/appkeys\/[^/]+\/messages$|sms\/v2\/services\/[^/]+\/messages$|alimtalk\/v2\/services\/[^/]+\/messages$|messages\/v4\/send-many)/;

/**
 * Every herald message id in a text vendor's call, in message order: NHN's recipientGroupingKey per
 * recipient, SOLAPI's customFields.heraldMessageId per message, SENS' x-herald-message-id header
 * (comma-separated). One call carries one message, or many on a lane that sends in bulk.
 */
function textMessageIds(headers: IncomingHttpHeaders, body: Buffer): string[] {
  const header = headers['x-herald-message-id'];
  if (typeof header === 'string' && header !== '') {
    return header
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  }
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      recipientList?: { recipientGroupingKey?: string }[];
      messages?: { customFields?: { heraldMessageId?: string } }[];
    };
    const ids = [
      ...(parsed.recipientList ?? []).map((r) => r.recipientGroupingKey),
      ...(parsed.messages ?? []).map((m) => m.customFields?.heraldMessageId),
    ];
    return ids.filter((id): id is string => typeof id === 'string' && id !== '');
  } catch {
    return [];
  }
}

function relayHttp1(
  upstream: URL,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  call: Call | undefined,
  body: Buffer | undefined,
): void {
  const finish = (answered: boolean) => {
    if (call?.open && answered) call.answeredAt = Date.now();
    if (call) call.open = false;
  };
  const out = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers as IncomingHttpHeaders);
      answer.pipe(res);
      answer.once('end', () => finish(true));
    },
  );
  out.on('error', () => {
    finish(false);
    res.destroy();
  });
  // The answer closed before it was complete: herald gave up on the call (time limit, kill).
  res.once('close', () => {
    if (!res.writableFinished) {
      finish(false);
      out.destroy();
    }
  });
  if (body === undefined) req.pipe(out);
  else out.end(body);
}

/** Connection-level and pseudo headers are the session's own; the rest travels with the stream. */
const HOP_HEADERS = new Set([':scheme', ':authority', 'connection', 'keep-alive', 'transfer-encoding']);

function forwardH2(
  upstream: ClientHttp2Session,
  stream: ServerHttp2Stream,
  headers: H2Headers,
  track: Track,
): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('error', () => {});
  stream.once('end', () => {
    const body = Buffer.concat(chunks);
    const call = track({ key: undefined, messageId: pushMessageId(headers, body) });
    const finish = (answered: boolean) => {
      if (call.open && answered) call.answeredAt = Date.now();
      call.open = false;
    };
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));
    let out: ReturnType<ClientHttp2Session['request']>;
    try {
      out = upstream.request(forwarded);
    } catch {
      finish(false);
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    out.on('response', (answer) => {
      if (stream.closed) return;
      stream.respond(Object.fromEntries(Object.entries(answer).filter(([name]) => !HOP_HEADERS.has(name))));
      out.pipe(stream);
    });
    out.once('end', () => finish(true));
    out.on('error', () => {});
    out.once('close', () => {
      if (call.open) {
        finish(false);
        if (!stream.closed) stream.close(out.rstCode || constants.NGHTTP2_INTERNAL_ERROR);
      }
    });
    // herald reset its stream (time limit, kill): the call is cancelled upstream as well.
    stream.once('close', () => {
      if (call.open) {
        finish(false);
        out.close(constants.NGHTTP2_CANCEL);
      }
    });
    out.end(body);
  });
}

/** herald's message id on the wire: APNs carries it as apns-id, FCM in the message's data. */
function pushMessageId(headers: H2Headers, body: Buffer): string | undefined {
  const apnsId = headers['apns-id'];
  if (typeof apnsId === 'string') return apnsId;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      message?: { data?: { herald_message_id?: string } };
    };
    return parsed.message?.data?.herald_message_id;
  } catch {
    return undefined;
  }
}
