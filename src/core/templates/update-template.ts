import type { TemplateStore } from '../../ports/template-store.ts';
import { HeraldError } from '../domain/errors.ts';
import type { AlimTalkTemplate } from './alimtalk-template.ts';

/** Attempts before giving up on a template that keeps changing under us. */
const MAX_ATTEMPTS = 5;

/**
 * Read-modify-write of one template under the store's revision check: `change` gets the stored
 * template (undefined when none) and returns the next one, or undefined for no write. Another
 * writer in between (an admin's PUT during a sync) makes it read and apply `change` again, so
 * neither write is lost. Returns what is stored afterwards.
 */
export async function updateTemplate(
  store: Pick<TemplateStore, 'get' | 'save'>,
  clientId: string,
  code: string,
  change: (current: AlimTalkTemplate | undefined) => AlimTalkTemplate | undefined,
): Promise<{ readonly template: AlimTalkTemplate | undefined; readonly changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get(clientId, code);
    const next = change(current);
    if (!next) return { template: current, changed: false };
    if (await store.save(next, current?.revision ?? 0)) return { template: next, changed: true };
  }
  throw new HeraldError('HERALD_CONFIG_CONFLICT', `template ${code} kept changing; try again`);
}
