import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { H2StreamHandler } from './h2-endpoint.ts';
import type { H2Parsed, H2WireContract } from './h2-wire-contract.ts';
import type { PushSimulation } from './push-simulation.ts';
import type { SimulatorFleet } from './simulator-fleet.ts';
import type { HttpAnswer } from './wire-contract.ts';

export interface PushRouteContext {
  readonly fleet: SimulatorFleet;
  readonly push: PushSimulation;
  readonly contracts: Readonly<Record<string, H2WireContract | undefined>>;
  /** Aborted when the simulator closes: pending answers are dropped, not written. */
  readonly shutdown: AbortSignal;
}

/** Push bodies are at most a few KiB; the contracts judge the size, this only bounds memory. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Routes a stream on the HTTP/2 port to a simulated push vendor by its path prefix,
 * `/<vendorId>/...` (or, for FCM's own path without a prefix, by the project in it), and lets the vendor's contract check it (FCM, APNs) before its behaviour
 * (latency, errors, hangs, rate limit) answers it. A hung stream stays open until the client
 * resets it or its connection goes: that counts as the caller hanging up, as on HTTP/1.1.
 */
export function createPushStreamHandler(context: PushRouteContext): H2StreamHandler {
  return (stream, headers, connection) => {
    handle(context, stream, headers, connection).catch(() => {
      // On shutdown the session is being destroyed anyway; a client that went away needs nothing.
      if (context.shutdown.aborted || stream.destroyed) return;
      respond(stream, {
        status: 500,
        body: { code: 'SIMULATOR_FAULT', message: 'The simulator failed unexpectedly' },
      });
    });
  };
}

async function handle(
  context: PushRouteContext,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  connection: Map<string, unknown>,
): Promise<void> {
  const { vendorId, rest } = routeOf(context, (headers[':path'] ?? '/').split('?', 1)[0]!);
  const vendor = context.fleet.vendor(vendorId);
  const provider = context.push.contractOf(vendorId);
  const contract = provider === undefined ? undefined : context.contracts[provider];
  if (vendor === undefined || contract === undefined) {
    const message = `The simulator hosts no HTTP/2 push vendor ${vendorId}`;
    respond(stream, { status: 404, body: { code: 'UNKNOWN_VENDOR', message } });
    return;
  }
  const body = await readStream(stream);
  if (body === undefined) {
    respond(stream, {
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
    });
    return;
  }
  const request = {
    vendorId,
    method: headers[':method'] ?? '',
    path: rest,
    headers,
    body,
  };
  const parsed: H2Parsed = await contract.parse(request, {
    push: context.push,
    connection,
    nowMs: context.push.now(),
  });
  if (parsed.kind === 'answer') {
    respond(stream, parsed.answer);
    return;
  }
  const outcome = await vendor.handle(parsed.send, context.shutdown);
  if (outcome.kind !== 'hang') {
    respond(stream, parsed.render(outcome));
    return;
  }
  // The client gave up on a hung call when it resets the stream or drops the connection first.
  const hungUp = (): void => {
    if (!context.shutdown.aborted) context.fleet.counter.recordHangUp(vendorId);
  };
  if (stream.closed) hungUp();
  else stream.once('close', hungUp);
}

/** Real FCM's path without a vendor prefix (firebase-admin hard-codes it): the vendor of that project. */
const UNPREFIXED_FCM = /^\/v1\/projects\/([^/]+)\/messages:send$/;

/** The vendor a path addresses (its first segment) and the rest of the path, leading slash kept. */
function routeOf(context: PushRouteContext, path: string): { vendorId: string; rest: string } {
  const slash = path.indexOf('/', 1);
  const vendorId = safeDecode(path.slice(1, slash === -1 ? undefined : slash));
  const unprefixed = context.fleet.vendor(vendorId) === undefined ? UNPREFIXED_FCM.exec(path) : null;
  const byProject =
    unprefixed === null ? undefined : context.push.fcmVendorOfProject(safeDecode(unprefixed[1]!));
  if (byProject !== undefined) return { vendorId: byProject, rest: path };
  return { vendorId, rest: path.slice(slash === -1 ? path.length : slash) };
}

/**
 * The whole request body, or undefined past the limit. Plain events rather than `for await`: an
 * async iterator per stream was a visible share of the simulator's CPU at 10,000 calls/s.
 */
function readStream(stream: ServerHttp2Stream): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    let ended = false;
    stream.once('end', () => {
      ended = true;
      resolve(size > BODY_LIMIT_BYTES ? undefined : Buffer.concat(chunks, size));
    });
    stream.once('error', reject);
    // A stream reset before its end never ends: treat it as an error, as the iterator did.
    stream.once('close', () => {
      if (!ended) reject(new Error('The stream closed before its body ended'));
    });
  });
}

/** Writes an answer as JSON (an empty body when it has none), unless the stream has gone. */
function respond(stream: ServerHttp2Stream, answer: HttpAnswer): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  if (answer.body === undefined) {
    stream.respond({ ':status': answer.status, ...answer.headers }, { endStream: true });
    return;
  }
  const payload = JSON.stringify(answer.body);
  stream.respond({
    ':status': answer.status,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  stream.end(payload);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
