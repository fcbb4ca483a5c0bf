import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { Http2Server } from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** The first bytes of every HTTP/2 connection with prior knowledge (RFC 9113 section 3.4). */
const H2_PREFACE_START = 'PRI * HTTP/2.0';

/**
 * One port for HTTP/1.1 and h2c, as the simulator has: each connection goes to `http1` or to `h2`
 * by its first bytes. An HTTP/2 session reads its socket's handle directly and would miss bytes
 * already read to sniff, so an h2c connection is handed over as a stream that replays them.
 */
export async function listenSniffing(
  http1: HttpServer,
  h2: Http2Server,
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      if (first.subarray(0, H2_PREFACE_START.length).toString('latin1') === H2_PREFACE_START) {
        h2.emit('connection', replaying(socket, first));
      } else {
        socket.pause();
        socket.unshift(first);
        http1.emit('connection', socket);
        socket.resume();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, port: address.port };
}

function replaying(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk, encoding, done) => {
      socket.write(chunk, encoding, done);
    },
    final: (done) => {
      socket.end(done);
    },
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}
