import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  /** The status answered (undefined while hanging). */
  status: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON events
  readonly events: any[];
}

/** What the receiver does with the nth request (0-based): answer a status, or hang until released. */
export type ReceiverBehaviour = (n: number) => number | 'hang';

/**
 * A client's webhook receiver in the test process: a plain node:http server on loopback that keeps
 * every request it got and answers as `behaviour` says. Hung requests are answered 200 at close.
 */
export class WebhookReceiver {
  readonly received: ReceivedCallback[] = [];
  readonly answered: { n: number; status: number }[] = [];
  behaviour: ReceiverBehaviour;
  #count = 0;
  readonly #hanging = new Set<ServerResponse>();
  readonly #server = createServer((request, response) => this.#handle(request, response));

  constructor(behaviour: ReceiverBehaviour = () => 200) {
    this.behaviour = behaviour;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get hanging(): number {
    return this.#hanging.size;
  }

  /** Every event the receiver took (answered 2xx), with duplicates. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON events
  events(): any[] {
    return this.received
      .filter((callback) => callback.status !== undefined && callback.status < 300)
      .flatMap((callback) => callback.events);
  }

  releaseHanging(): void {
    for (const response of this.#hanging) response.writeHead(200).end();
    this.#hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      const callback: ReceivedCallback = {
        status: undefined,
        headers,
        body,
        events: JSON.parse(body).events ?? [],
      };
      this.received.push(callback);
      const n = this.#count++;
      const answer = this.behaviour(n);
      if (answer === 'hang') {
        this.#hanging.add(response);
        return;
      }
      callback.status = answer;
      this.answered.push({ n, status: answer });
      response.writeHead(answer).end();
    });
  }
}
