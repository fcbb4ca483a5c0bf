import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';

/**
 * An HTTP forwarder in front of the simulator for one herald process, counting the vendor calls
 * that process has open right now: at a SIGKILL those are exactly the calls whose outcome herald
 * never learnt, the only ones allowed to reach a vendor twice.
 */
export class CountingHttpProxy {
  readonly #server: Server;
  #open = 0;
  #forwarded = 0;
  readonly #answeredAt: number[] = [];
  /** Every call's Idempotency-Key (herald's message key) and when it was answered, if it was. */
  readonly #calls: { readonly key: string; answeredAt: number | undefined; open: boolean }[] = [];
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(target: string): Promise<CountingHttpProxy> {
    const upstream = new URL(target);
    let proxy: CountingHttpProxy | undefined;
    const server = createServer((req, res) => {
      proxy!.#open += 1;
      proxy!.#forwarded += 1;
      const call = {
        key: String(req.headers['idempotency-key'] ?? ''),
        answeredAt: undefined as number | undefined,
        open: true,
      };
      proxy!.#calls.push(call);
      let done = false;
      const finish = () => {
        if (!done) proxy!.#open -= 1;
        done = true;
        call.open = false;
      };
      const out = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.once('end', () => {
            if (!done) {
              proxy!.#answeredAt.push(Date.now());
              call.answeredAt = Date.now();
            }
            finish();
          });
        },
      );
      out.on('error', () => {
        finish();
        res.destroy();
      });
      // The answer closed before it was complete: herald gave up on the call (time limit, kill).
      res.once('close', () => {
        if (!res.writableFinished) {
          finish();
          out.destroy();
        }
      });
      req.pipe(out);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    proxy = new CountingHttpProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy;
  }

  /** Calls forwarded and not yet answered. */
  get open(): number {
    return this.#open;
  }

  /** Calls forwarded so far. */
  get forwarded(): number {
    return this.#forwarded;
  }

  /** Calls answered in full since `epochMs`. */
  answeredSince(epochMs: number): number {
    return this.#answeredAt.filter((at) => at >= epochMs).length;
  }

  /** Message keys of the calls open now, and of those answered in full since `epochMs`. */
  keysOpenOrAnsweredSince(epochMs: number): { open: string[]; answered: string[] } {
    const open: string[] = [];
    const answered: string[] = [];
    for (const call of this.#calls) {
      if (call.open) open.push(call.key);
      else if (call.answeredAt !== undefined && call.answeredAt >= epochMs) answered.push(call.key);
    }
    return { open, answered };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
