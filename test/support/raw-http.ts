import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * HTTP over a bare TCP socket, for what fetch cannot send: malformed requests, a body trickled one
 * byte at a time, a connection held open. The server's bytes are kept as they come.
 */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once the server has closed the connection (or it was reset). */
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  const closedPromise = once(socket, 'close').then(() => {
    closed = true;
  });
  await once(socket, 'connect');
  return { socket, received: () => text, closed: closedPromise, isClosed: () => closed };
}

/** Sends `request` as it is and waits until the server closes the connection or `untilText` arrives. */
export async function sendRaw(
  port: number,
  request: string | Buffer,
  untilText?: RegExp,
): Promise<RawAnswer> {
  const connection = await openRaw(port);
  connection.socket.write(request);
  await receivedOrClosed(connection, untilText);
  connection.socket.destroy();
  return parseAnswer(connection.received());
}

/** Waits until what the server sent matches `pattern`, or the connection is closed. */
export async function receivedOrClosed(connection: RawConnection, pattern?: RegExp): Promise<void> {
  while (!connection.isClosed() && !(pattern?.test(connection.received()) ?? false)) {
    await Promise.race([connection.closed, once(connection.socket, 'data')]);
  }
}

/** A JSON answer has fully arrived (its body ends the stream so far). */
export const JSON_ANSWER = /\r\n\r\n.*\}$/s;

export interface RawAnswer {
  readonly status: number | undefined;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  readonly body: any;
  readonly raw: string;
}

/** The first response in `raw`: status, headers (lower-case names) and JSON body. */
export function parseAnswer(raw: string): RawAnswer {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd === -1) return { status: undefined, headers: {}, body: undefined, raw };
  const [statusLine, ...headerLines] = raw.slice(0, headEnd).split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const length = Number(headers['content-length'] ?? 0);
  const bodyText = Buffer.from(raw.slice(headEnd + 4), 'latin1')
    .subarray(0, length)
    .toString('utf8');
  return {
    status: Number(statusLine?.split(' ')[1]),
    headers,
    body: bodyText ? JSON.parse(bodyText) : undefined,
    raw,
  };
}

/** Resolves when `connection` is closed, or rejects after `limitMs` (a guard, not a measurement). */
export async function closedWithin(connection: RawConnection, limitMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the server kept the connection open`)), limitMs);
  });
  try {
    await Promise.race([connection.closed, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends `text` one byte every `gapMs` until it is all sent or the server closes the connection;
 * returns how many bytes went out (what a test counts, instead of timing the server).
 */
export async function trickle(connection: RawConnection, text: string, gapMs: number): Promise<number> {
  let sent = 0;
  while (sent < text.length && !connection.isClosed()) {
    connection.socket.write(text[sent]!);
    sent += 1;
    await sleep(gapMs);
  }
  return sent;
}
