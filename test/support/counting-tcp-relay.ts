import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP relay in front of the simulator that counts the connections a client opens through it. */
export interface CountingProxy {
  readonly url: string;
  /** Connections accepted so far. */
  opened(): number;
  close(): Promise<void>;
}

/**
 * The simulator's HTTP/1.1 side does not count opened connections, and the vendor contract wants
 * to see a new one after a drop: a relay counts them without touching either end. When one side
 * closes, the other is destroyed, so a drop or a caller's abort reaches across as it would directly.
 */
export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  let opened = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    opened += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    opened: () => opened,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
