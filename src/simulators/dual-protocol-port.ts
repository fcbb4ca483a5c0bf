import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { sniffProtocol } from './protocol-sniffer.ts';

export interface DualProtocolPortOptions {
  readonly host: string;
  readonly port: number;
  /** Serves HTTP/1.1 connections (never listens itself). */
  readonly http1: HttpServer;
  /** Serves h2c connections. */
  readonly http2: (socket: Socket) => void;
}

export interface DualProtocolPort {
  readonly port: number;
  /** Stops listening and destroys every open connection (hung, keep-alive, HTTP/2). */
  close(): Promise<void>;
}

/** Listens on one TCP port and hands each connection to HTTP/1.1 or h2c by its first bytes. */
export async function listenDualProtocol(options: DualProtocolPortOptions): Promise<DualProtocolPort> {
  // node:http tracks its connections only when it listens itself, so the port tracks them here.
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    sniffProtocol(socket, { http1: (s) => options.http1.emit('connection', s), http2: options.http2 });
  });
  server.listen({ host: options.host, port: options.port, backlog: 4096 });
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
