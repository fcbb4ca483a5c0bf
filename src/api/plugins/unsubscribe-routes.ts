import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HeraldError } from '../../core/domain/errors.ts';
import { verifyUnsubscribeToken } from '../../core/identity/unsubscribe-token.ts';
import type { ConfigStore } from '../../ports/config-store.ts';
import { ErrorResponse } from '../schemas/common.ts';

export interface UnsubscribeRoutesOptions {
  readonly optOuts: Pick<ConfigStore, 'addOptOut'>;
  /** The key the workers sign the links with (HERALD_UNSUBSCRIBE_SECRET). */
  readonly secret: string;
}

/** What a mailbox or a browser sends: `List-Unsubscribe=One-Click`, form-encoded; a few bytes. */
const MAX_BODY_BYTES = 4_096;

const TokenParams = Type.Object({
  token: Type.String({
    minLength: 1,
    maxLength: 512,
    description: 'The signed token of the link in an ad e-mail (List-Unsubscribe)',
  }),
});

const HtmlPage = {
  description: 'A short page for a person (the same page whatever the address and its state)',
  content: { 'text/html': { schema: Type.String() } },
};

/**
 * The one-click unsubscribe of ad e-mail (RFC 8058), public: the signed token is the only
 * credential, so no API key and no client rate limit apply.
 *
 * - `POST /v1/unsubscribe/:token`: records the opt-out, the same entry `POST /v1/opt-outs` makes
 *   for the client and address, so later ads to it are refused `HERALD_RECIPIENT_OPTED_OUT`. A
 *   mailbox sends `List-Unsubscribe=One-Click` as a form; any body is taken (the POST is the act).
 * - `GET`: a page with a button that POSTs; never an opt-out, because link scanners fetch links.
 *
 * Both answer the same for every valid token (already opted out or not), and a token herald did
 * not sign gets `404 HERALD_UNSUBSCRIBE_LINK_INVALID`, which says nothing about any address.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox<UnsubscribeRoutesOptions> = async (
  app,
  options,
) => {
  // Scoped to this plugin: the rest of the API takes JSON only.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  const schema = (summary: string, description: string) => ({
    summary,
    description,
    tags: ['opt-outs'],
    security: [],
    params: TokenParams,
    response: { 200: HtmlPage, 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
  });
  const targetOf = (token: string) => {
    const target = verifyUnsubscribeToken(token, options.secret);
    if (!target)
      throw new HeraldError('HERALD_UNSUBSCRIBE_LINK_INVALID', 'this unsubscribe link is not valid');
    return target;
  };

  app.get(
    '/unsubscribe/:token',
    {
      schema: schema(
        'Page of an ad e-mail unsubscribe link',
        'Shows a button that POSTs to the same URL; a GET records nothing (link scanners prefetch links).',
      ),
    },
    async (request, reply) => {
      targetOf(request.params.token);
      return sendPage(reply, CONFIRM_PAGE);
    },
  );

  app.post(
    '/unsubscribe/:token',
    {
      schema: schema(
        'One-click unsubscribe from ad e-mail (RFC 8058)',
        'Body `List-Unsubscribe=One-Click` (form-encoded). Adds the address to the opt-out list of the ' +
          "client that sent the mail, as POST /v1/opt-outs does; the answer is the same whatever the address's state.",
      ),
    },
    async (request, reply) => {
      const { clientId, recipientHash } = targetOf(request.params.token);
      await options.optOuts.addOptOut(clientId, 'email', recipientHash);
      return sendPage(reply, DONE_PAGE);
    },
  );
};

function sendPage(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .status(200)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('content-security-policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(html);
}

function page(title: string, inner: string): string {
  return (
    '<!doctype html>\n<html lang="ko"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${title}</title></head>` +
    `<body>${inner}</body></html>\n`
  );
}

/** No address, no client name: the page is the same for every link. */
const CONFIRM_PAGE = page(
  '수신거부 / Unsubscribe',
  '<h1>광고 메일 수신거부 / Unsubscribe</h1>' +
    '<p>이 주소로 이 발신자의 광고 메일을 더 받지 않으시려면 아래 버튼을 눌러 주세요.</p>' +
    '<p>To stop receiving advertising e-mail from this sender at this address, press the button.</p>' +
    '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">' +
    '<button type="submit">수신거부 / Unsubscribe</button></form>',
);

const DONE_PAGE = page(
  '수신거부 완료 / Unsubscribed',
  '<h1>수신거부가 처리되었습니다 / You are unsubscribed</h1>' +
    '<p>이 발신자의 광고 메일은 더 이상 이 주소로 보내지 않습니다.</p>' +
    '<p>This sender will send no more advertising e-mail to this address.</p>',
);
