import type { Socket } from 'node:net';

/**
 * The start of the HTTP/2 connection preface (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`, RFC 9113 §3.4).
 * No HTTP/1.1 request starts with it: PRI is reserved as a method for exactly this reason.
 */
const PREFACE_START = Buffer.from('PRI ', 'latin1');
/** A client that sends nothing this long is dropped (the HTTP/1.1 server would time it out too). */
const FIRST_BYTES_TIMEOUT_MS = 30_000;

export interface ProtocolTargets {
  /** Gets the socket of an HTTP/2 prior-knowledge (h2c) client. */
  http2(socket: Socket): void;
  /** Gets every other socket (HTTP/1.1). */
  http1(socket: Socket): void;
}

/**
 * Serves HTTP/1.1 and h2c on one port: reads a connection's first bytes, puts them back, and hands
 * the socket to the server its protocol belongs to. (Chosen over TLS + ALPN: no certificate to
 * generate or trust, and every HTTP/2 client, Node's included, speaks prior knowledge to an
 * http:// origin.) Both servers read the bytes put back: node:http2 replays a socket's buffered
 * data into its session, and node:http reads it through its 'data' listener.
 */
export function sniffProtocol(socket: Socket, targets: ProtocolTargets): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), FIRST_BYTES_TIMEOUT_MS);
  timer.unref();
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const compared = Math.min(seen.length, PREFACE_START.length);
    const isHttp2 = seen.subarray(0, compared).equals(PREFACE_START.subarray(0, compared));
    // A few bytes that could still be either: wait for more.
    if (isHttp2 && seen.length < PREFACE_START.length) return;
    socket.off('data', onData);
    clearTimeout(timer);
    socket.pause();
    socket.unshift(seen);
    if (isHttp2) {
      targets.http2(socket);
      return;
    }
    targets.http1(socket);
    socket.resume();
  };
  socket.on('data', onData);
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
}
