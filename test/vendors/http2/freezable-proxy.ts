import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder whose open connections a test can freeze: bytes stop flowing both ways while the
 * sockets stay open, as with a peer that died silently or a NAT entry that was dropped. New
 * connections are forwarded normally.
 */
export class FreezableProxy {
  readonly #server: Server;
  readonly #pairs: [Socket, Socket][] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<FreezableProxy> {
    const server = createServer();
    const proxy = new FreezableProxy(server);
    server.on('connection', (client) => {
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        socket.on('error', () => {});
        socket.on('close', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      proxy.#pairs.push([client, upstream]);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Stops forwarding on every connection open now. */
  freeze(): void {
    for (const [client, upstream] of this.#pairs.splice(0)) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.#pairs.splice(0)) {
      client.destroy();
      upstream.destroy();
    }
    this.#server.close();
  }
}
