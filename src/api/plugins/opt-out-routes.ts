import type { Static } from 'typebox';
import type { OptOutEntry } from '../../core/content/ad-opt-out.ts';
import { optOutEntry } from '../../core/content/ad-opt-out.ts';
import type { ConfigStore } from '../../ports/config-store.ts';
import { callerOf } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES } from '../schemas/common.ts';
import { OptOutBody, OptOutResponse } from '../schemas/opt-outs.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

export type OptOutStore = Pick<ConfigStore, 'addOptOut' | 'removeOptOut'>;

const security = [{ bearerAuth: [] }];

/**
 * POST and DELETE /v1/opt-outs: the caller's advertising opt-out list. A client records here the
 * refusals it receives (its 080 line, an unsubscribe link) and herald refuses its ads to those
 * recipients from then on. Both calls are idempotent; DELETE is for a recipient who consents again.
 */
export function registerOptOutRoutes(app: TypeBoxApp, store: OptOutStore, recipientHashSecret: string): void {
  const entryOf = (body: Static<typeof OptOutBody>): OptOutEntry => {
    const entry = optOutEntry(body.channel, body.to, recipientHashSecret);
    if (!entry.ok) throw entry.error;
    return entry.value;
  };
  const schema = (summary: string) => ({
    summary,
    tags: ['opt-outs'],
    security,
    body: OptOutBody,
    response: { 200: OptOutResponse, ...AUTHENTICATED_ERROR_RESPONSES },
  });

  app.post('/opt-outs', { schema: schema('Stop sending your ads to a recipient') }, async (request) => {
    const { scope, recipientHash } = entryOf(request.body);
    await store.addOptOut(callerOf(request).clientId, scope, recipientHash);
    return { channel: scope, optedOut: true };
  });

  app.delete('/opt-outs', { schema: schema('Allow your ads to a recipient again') }, async (request) => {
    const { scope, recipientHash, exactCaseHash } = entryOf(request.body);
    const { clientId } = callerOf(request);
    await store.removeOptOut(clientId, scope, recipientHash);
    // An entry stored before e-mail addresses were case-folded (see optOutHashes).
    if (exactCaseHash !== undefined) await store.removeOptOut(clientId, scope, exactCaseHash);
    return { channel: scope, optedOut: false };
  });
}
