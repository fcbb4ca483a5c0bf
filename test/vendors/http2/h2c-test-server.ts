import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

export type TestStreamHandler = (
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  session: ServerHttp2Session,
) => void;

/** A plain h2c server for the pool's tests: a handler per stream, and the sessions it has. */
export interface H2cTestServer {
  readonly origin: string;
  readonly sessions: ServerHttp2Session[];
  /** Most streams open at once on one session. */
  readonly peakPerSession: () => number;
  close(): Promise<void>;
}

export async function startH2cTestServer(
  handler: TestStreamHandler,
  settings: { maxConcurrentStreams?: number } = {},
): Promise<H2cTestServer> {
  const server = createServer({ settings: { maxConcurrentStreams: settings.maxConcurrentStreams ?? 100 } });
  const sessions: ServerHttp2Session[] = [];
  const open = new Map<ServerHttp2Session, number>();
  let peak = 0;
  server.on('session', (session) => {
    sessions.push(session);
    open.set(session, 0);
    session.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    const session = stream.session as ServerHttp2Session;
    const count = (open.get(session) ?? 0) + 1;
    open.set(session, count);
    peak = Math.max(peak, count);
    stream.on('error', () => {});
    stream.once('close', () => open.set(session, (open.get(session) ?? 1) - 1));
    handler(stream, headers, session);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    sessions,
    peakPerSession: () => peak,
    close: async () => {
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Reads a stream's request body as text. */
export async function bodyOf(stream: ServerHttp2Stream): Promise<string> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text;
}

export function reply(stream: ServerHttp2Stream, status: number, body: string): void {
  if (stream.destroyed || stream.closed) return;
  stream.respond({ ':status': status, 'content-type': 'text/plain' });
  stream.end(body);
}
