import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

interface SendOptions {
  url: string;
  key?: string;
  channel: string;
  lane: string;
  to: string[];
  body?: string;
  subject?: string;
  template?: string;
  vars?: string;
  file?: string;
  idempotencyKey?: string;
  wait: boolean;
}

const TERMINAL = new Set(['sent', 'failed', 'expired', 'duplicate']);

/**
 * `herald send`: a small client of POST /v1/messages, for trying herald and for scripts.
 * `--file` sends a request body as it is (JSON); otherwise the flags build one.
 */
export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('send a message through a running herald')
    .option('--url <url>', 'herald base URL', `http://127.0.0.1:${process.env.HERALD_PORT ?? 8080}`)
    .option('--key <key>', 'API key (default: $HERALD_API_KEY or $HERALD_BOOTSTRAP_API_KEY)')
    .option('--channel <channel>', 'push | sms | lms | mms | alimtalk | email | vms', 'sms')
    .option('--lane <lane>', 'realtime | batch | ad', 'realtime')
    .option('--to <recipient...>', 'one or more recipients', [])
    .option('--body <text>', 'message body; #{name} takes a variable')
    .option('--subject <text>', 'subject (lms, mms, email, push title)')
    .option('--template <code>', 'template code (alimtalk)')
    .option('--vars <json>', 'variables for every recipient, as JSON')
    .option('--file <path>', 'a whole request body as JSON')
    .option('--idempotency-key <key>', 'send the Idempotency-Key header')
    .option('--wait', 'poll until every message reaches a final state', false)
    .action(async (options: SendOptions) => {
      const key = options.key ?? process.env.HERALD_API_KEY ?? process.env.HERALD_BOOTSTRAP_API_KEY;
      if (!key) throw new Error('no API key: pass --key or set HERALD_API_KEY');
      const headers: Record<string, string> = {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
      };
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      const response = await fetch(`${options.url}/v1/messages`, {
        method: 'POST',
        headers,
        body: options.file ? readFileSync(options.file, 'utf8') : JSON.stringify(requestFromFlags(options)),
      });
      const answer = (await response.json()) as { requestId?: string };
      process.stdout.write(`${response.status} ${JSON.stringify(answer, null, 2)}\n`);
      if (!response.ok) process.exitCode = 1;
      else if (options.wait && answer.requestId) await waitForRequest(options.url, headers, answer.requestId);
    });
}

function requestFromFlags(options: SendOptions): unknown {
  const vars = options.vars ? (JSON.parse(options.vars) as Record<string, string>) : undefined;
  return {
    channel: options.channel,
    lane: options.lane,
    ...(options.template
      ? { template: { code: options.template } }
      : { content: { body: options.body ?? '', ...(options.subject ? { subject: options.subject } : {}) } }),
    recipients: options.to.map((to) => ({ to, ...(vars ? { vars } : {}) })),
  };
}

async function waitForRequest(
  url: string,
  headers: Record<string, string>,
  requestId: string,
): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`${url}/v1/requests/${requestId}`, { headers });
    const view = (await response.json()) as { messages: { messageId?: string; status?: string }[] };
    // A recipient refused at submission ({ index, error }, no message) is final from the start.
    if (view.messages.every((m) => m.messageId === undefined || TERMINAL.has(m.status ?? ''))) {
      process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stderr.write('still not final after 5 minutes\n');
  process.exitCode = 1;
}
