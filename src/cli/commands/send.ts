import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadClientEnv } from '../../config/env-config.ts';
import { CliError } from '../cli-failure.ts';
import { HeraldClient } from '../herald-client.ts';
import { deliveriesOf, type RequestViewEntry, waitForRequest } from '../wait-for-request.ts';

interface SendOptions {
  url?: string;
  key?: string;
  channel: string;
  lane: string;
  to: string[];
  from?: string;
  body?: string;
  subject?: string;
  template?: string;
  image: string[];
  vars?: string;
  file?: string;
  idempotencyKey?: string;
  expiresIn?: string;
  wait: boolean;
}

/** Final states that mean the message got through (duplicate: an earlier identical one did). */
const DELIVERED = new Set(['sent', 'delivered', 'duplicate']);

/**
 * `herald send`: a small client of POST /v1/messages, for trying herald and for scripts. `--file`
 * sends a request body as it is (JSON); otherwise the flags build one. Exits 1 when a recipient was
 * refused or, with --wait, when a message failed, expired or did not become final in time, and
 * names each of them on stderr.
 */
export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('send a message through a running herald (see HERALD_URL and HERALD_API_KEY)')
    .option('--url <url>', 'herald base URL (default: $HERALD_URL, else http://127.0.0.1:$HERALD_PORT)')
    .option('--key <key>', 'API key (default: $HERALD_API_KEY, else $HERALD_BOOTSTRAP_API_KEY)')
    .option('--channel <channel>', 'push | sms | lms | mms | alimtalk | email | vms', 'sms')
    .option('--lane <lane>', 'realtime | batch | ad', 'realtime')
    .option('--to <recipient...>', 'one or more recipients', [])
    .option('--from <number>', "sender number (sms, lms, mms); default: your client's default number")
    .option('--body <text>', 'message body; #{name} takes a variable')
    .option('--subject <text>', 'subject (lms, mms, email, push title)')
    .option('--template <code>', 'template code (alimtalk)')
    .option(
      '--image <file-or-url...>',
      'MMS image: a JPEG file (sent as base64) or an https URL on a registered host; up to 3 (sends as mms)',
      [],
    )
    .option('--vars <json>', 'variables for every recipient, as a JSON object')
    .option('--file <path>', 'a whole request body as JSON (instead of the flags above)')
    .option('--idempotency-key <key>', 'send the Idempotency-Key header')
    .option('--expires-in <seconds>', 'give up on the messages after this many seconds')
    .option('--wait', 'poll until every message is final; exit 1 if any failed or expired', false)
    .action(async (options: SendOptions) => {
      process.exitCode = await send(options);
    });
}

async function send(options: SendOptions): Promise<number> {
  const client = clientFor(options);
  const headers: Record<string, string> = options.idempotencyKey
    ? { 'idempotency-key': options.idempotencyKey }
    : {};
  const answer = await client.call('POST', '/v1/messages', requestBody(options), headers);
  process.stdout.write(`${answer.status} ${JSON.stringify(answer.body, null, 2)}\n`);
  if (answer.status !== 202) {
    process.stderr.write(`herald send: refused: ${describeError(answer.body?.error)}\n`);
    return 1;
  }
  const refused = (answer.body.messages as RequestViewEntry[]).filter((entry) => entry.error);
  const problems = refused.map((entry) => `recipient ${entry.index} refused: ${describeError(entry.error)}`);
  if (options.wait) {
    const outcome = await waitForRequest(client, answer.body.requestId);
    process.stdout.write(`${JSON.stringify(outcome.view, null, 2)}\n`);
    const alreadyNamed = new Set(refused.map((entry) => entry.index));
    for (const entry of outcome.entries) {
      if (alreadyNamed.has(entry.index)) continue;
      // A push to a user: each device message; an undelivered AlimTalk: its fallback SMS/LMS.
      for (const delivery of deliveriesOf(entry)) {
        if (DELIVERED.has(delivery.status ?? '')) continue;
        const error = delivery.error ? `: ${describeError(delivery.error)}` : '';
        problems.push(`message ${entry.index} (${delivery.messageId ?? 'no id'}) ${delivery.status}${error}`);
      }
    }
    if (!outcome.final) problems.push('some messages were still not final after 5 minutes');
  }
  for (const problem of problems) process.stderr.write(`herald send: ${problem}\n`);
  return problems.length > 0 ? 1 : 0;
}

function clientFor(options: SendOptions): HeraldClient {
  const env = loadClientEnv();
  const key = options.key ?? env.apiKey;
  if (!key) {
    throw new CliError('no API key: set HERALD_API_KEY (or pass --key); `herald keys create` makes one', 2);
  }
  return new HeraldClient((options.url ?? env.url).replace(/\/+$/, ''), key);
}

/** `--image`: an https URL is passed on for herald to fetch; anything else is a file read here. */
function imageInput(given: string): { url: string } | { base64: string; fileName: string } {
  if (/^https:\/\//i.test(given)) return { url: given };
  try {
    return { base64: readFileSync(given).toString('base64'), fileName: basename(given) };
  } catch (error) {
    throw new CliError(`cannot read --image ${given}: ${(error as NodeJS.ErrnoException).code}`, 2);
  }
}

function describeError(error: { code?: string; message?: string } | null | undefined): string {
  return `${error?.code ?? 'no code'} ${error?.message ?? ''}`.trim();
}

function requestBody(options: SendOptions): string {
  if (options.file) {
    try {
      return readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read --file ${options.file}: ${(error as NodeJS.ErrnoException).code}`, 2);
    }
  }
  if (options.to.length === 0)
    throw new CliError('give at least one --to recipient (or a request with --file)', 2);
  const vars = options.vars === undefined ? undefined : parseVars(options.vars);
  return JSON.stringify({
    channel: options.channel,
    lane: options.lane,
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.template
      ? { template: { code: options.template } }
      : {
          content: {
            body: options.body ?? '',
            ...(options.subject ? { subject: options.subject } : {}),
            ...(options.image.length > 0 ? { images: options.image.map(imageInput) } : {}),
          },
        }),
    ...(options.expiresIn === undefined ? {} : { expiresInSeconds: Number(options.expiresIn) }),
    recipients: options.to.map((to) => ({ to, ...(vars ? { vars } : {}) })),
  });
}

function parseVars(text: string): Record<string, string> {
  try {
    const vars: unknown = JSON.parse(text);
    if (typeof vars === 'object' && vars !== null && !Array.isArray(vars))
      return vars as Record<string, string>;
  } catch {}
  throw new CliError(`--vars must be a JSON object such as '{"name":"Kim"}', got ${text}`, 2);
}
