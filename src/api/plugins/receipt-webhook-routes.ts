import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { DeliveryReceipt, ReceiptSink } from '../../core/domain/delivery-receipt.ts';
import type { ErrorCode } from '../../core/domain/errors.ts';
import { deliveryCheckOf, type StoredSolapiMessage } from '../../vendors/solapi/solapi-status.ts';
import { ErrorResponse } from '../schemas/common.ts';

export interface ReceiptWebhookRoutesOptions {
  /** Where the receipts go (the receipts topic), durably before the answer. */
  readonly sink: ReceiptSink;
  /**
   * SOLAPI accounts: the shared secret its webhook URL carries (HERALD_SOLAPI_WEBHOOK_SECRET), and
   * the vendor ids herald sends through that account: a report's `type` says which one accepted it
   * (VOICE: the VMS vendor; SMS, LMS, MMS: the text vendor). Kakao types are skipped: AlimTalk
   * results come by the lane's own look-up, which also decides the fallback. None: every report is
   * refused.
   */
  readonly solapi: readonly SolapiAccount[];
  readonly now?: () => number;
}

export interface SolapiAccount {
  readonly secret: string;
  /** The vendor id of SMS, LMS and MMS reports. */
  readonly textVendor: string;
  /** The vendor id of VOICE reports; absent: those are skipped. */
  readonly voiceVendor?: string;
}

/** A SOLAPI report batch: one send group's messages; 10,000 of them stay under this. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_REPORTS = 10_000;

const Query = Type.Object({
  token: Type.Optional(
    Type.String({ maxLength: 256, description: 'The shared secret set in the webhook URL at SOLAPI' }),
  ),
});

/**
 * Vendors' delivery-report webhooks, public (no API key): the vendor proves itself otherwise.
 *
 * `POST /v1/receipts/solapi?token=<secret>`: SOLAPI's message report ("단일 메시지 리포트",
 * developers.solapi.com/references/webhook; solapi-nodejs examples/javascript/webhooks): a JSON array
 * of message objects as its message list stores them (messageId, statusCode, reason, networkName,
 * networkCode, dateReceived...). SOLAPI signs nothing and lets one set only the URL, so the URL
 * carries a shared secret: the `token` query parameter, compared in constant time. A query string
 * and not a path segment, because herald's request log drops query strings (redact-url.ts): the
 * secret never reaches a log. Reports still on their way (2000, 3000) are skipped; each final one
 * becomes a DeliveryReceipt (source `webhook`), and the answer is 200 only once the sink took them
 * all: a failed submit answers 503, so SOLAPI calls again (five calls in all).
 */
export const receiptWebhookRoutes: FastifyPluginAsyncTypebox<ReceiptWebhookRoutesOptions> = async (
  app,
  options,
) => {
  const now = options.now ?? Date.now;
  // Scoped to this plugin: parsed here, so malformed JSON gets herald's own code (the API's own
  // strict parser, inherited, is replaced in this plugin's context only).
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/receipts/solapi',
    {
      schema: {
        summary: "SOLAPI's message reports (delivery receipts)",
        description:
          "Set as the message-report webhook at SOLAPI, with `?token=` the secret of HERALD_SOLAPI_WEBHOOK_SECRET. Body: SOLAPI's array of message objects.",
        tags: ['receipts'],
        security: [],
        querystring: Query,
        response: { 200: Type.Object({}), 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const account = accountOfToken(options.solapi, request.query.token);
      if (account === undefined) {
        return refuse(
          reply,
          401,
          'HERALD_UNAUTHORIZED',
          'the webhook token is missing or not the configured one',
        );
      }
      const parsed = parseReports(request.body);
      if (typeof parsed === 'string') {
        const code = parsed === INVALID_JSON ? 'HERALD_INVALID_JSON' : 'HERALD_VALIDATION_FAILED';
        return refuse(reply, 400, code, parsed);
      }
      const receivedAt = now();
      const receipts = parsed.flatMap((report) => receiptOf(account, report, receivedAt));
      try {
        if (receipts.length > 0) await options.sink.submit(receipts);
      } catch {
        return refuse(
          reply,
          503,
          'HERALD_UNAVAILABLE',
          'the receipts could not be stored; SOLAPI will call again',
          {
            'retry-after': '30',
          },
        );
      }
      return reply.status(200).send({});
    },
  );
};

const INVALID_JSON = 'The body is not valid JSON';

interface SolapiReport extends StoredSolapiMessage {
  readonly messageId: string;
  /** SMS, LMS, MMS, ATA, CTA, VOICE...: which of herald's vendors sent it. */
  readonly type?: string;
}

/** The reports, or what is wrong with the body. */
function parseReports(body: unknown): SolapiReport[] | string {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : '');
  } catch {
    return INVALID_JSON;
  }
  if (!Array.isArray(value)) return 'The body must be an array of message reports';
  if (value.length > MAX_REPORTS) return `At most ${MAX_REPORTS} reports a call`;
  for (const [index, report] of value.entries()) {
    const problem = reportProblem(report);
    if (problem !== undefined) return `[${index}]: ${problem}`;
  }
  return value as SolapiReport[];
}

function reportProblem(report: unknown): string | undefined {
  if (typeof report !== 'object' || report === null || Array.isArray(report)) return 'must be an object';
  const { messageId, statusCode } = report as Record<string, unknown>;
  if (typeof messageId !== 'string' || messageId === '' || messageId.length > 128) {
    return 'messageId must be a non-empty string';
  }
  if (typeof statusCode !== 'string' || !/^\d{4}$/.test(statusCode)) {
    return "statusCode must be SOLAPI's four-digit status code";
  }
  for (const field of [
    'type',
    'reason',
    'networkName',
    'networkCode',
    'dateReceived',
    'dateReported',
    'dateUpdated',
  ]) {
    const value = (report as Record<string, unknown>)[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return `${field} must be a string`;
  }
  return undefined;
}

/** A final report as herald's receipt; none for one still on its way, or of a type herald looks up itself. */
function receiptOf(account: SolapiAccount, report: SolapiReport, receivedAt: number): DeliveryReceipt[] {
  const vendorId = vendorOfType(account, report.type);
  if (vendorId === undefined) return [];
  const check = deliveryCheckOf(report, receivedAt);
  if (check.state === 'pending') return [];
  return [
    {
      vendor: vendorId,
      vendorMessageId: report.messageId,
      state: check.state,
      at: check.at,
      code: check.code,
      message: check.state === 'undelivered' ? check.message : (report.reason ?? ''),
      carrier: check.carrier ?? 'unknown',
      source: 'webhook',
      receivedAt,
    },
  ];
}

/** SOLAPI's message types herald sends as text (`type` absent: an older report, taken as text). */
const TEXT_TYPES = new Set(['SMS', 'LMS', 'MMS']);

function vendorOfType(account: SolapiAccount, type: string | undefined): string | undefined {
  if (type === undefined || TEXT_TYPES.has(type)) return account.textVendor;
  return type === 'VOICE' ? account.voiceVendor : undefined;
}

/** The account whose secret `token` is, comparing every secret in constant time. */
function accountOfToken(
  accounts: readonly SolapiAccount[],
  token: string | undefined,
): SolapiAccount | undefined {
  if (token === undefined || token === '') return undefined;
  const given = Buffer.from(token);
  let found: SolapiAccount | undefined;
  for (const account of accounts) {
    const expected = Buffer.from(account.secret);
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = account;
  }
  return found;
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  return reply.status(status).headers(headers).send({ error: { code, message } });
}
