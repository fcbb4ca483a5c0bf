import { CliError } from './cli-failure.ts';

export interface HeraldAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the CLI prints and inspects herald's JSON answers
  readonly body: any;
}

/**
 * A small client of herald's HTTP API for the CLI: it turns what a newcomer meets (herald not
 * running, a wrong URL, a refused key) into one line that says what to do.
 */
export class HeraldClient {
  readonly #url: string;
  readonly #headers: Record<string, string>;

  constructor(url: string, apiKey: string) {
    this.#url = url;
    this.#headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  }

  async call(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<HeraldAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.#url}${path}`, {
        method,
        headers: { ...this.#headers, ...headers },
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      // fetch says only "fetch failed"; its cause says why ("connect ECONNREFUSED 127.0.0.1:8080").
      const reason = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new CliError(
        `cannot reach herald at ${this.#url} (${reason}): start it with \`npm start\`, or point HERALD_URL or --url at it`,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new CliError(`${this.#url} answered ${response.status} without JSON: is HERALD_URL a herald?`);
    }
    if (response.status === 401) {
      throw new CliError(
        'herald refused the API key (HERALD_UNAUTHORIZED): set HERALD_API_KEY or pass --key ' +
          '(a key from `herald keys create`, or HERALD_BOOTSTRAP_API_KEY)',
      );
    }
    return { status: response.status, body: parsed };
  }
}
