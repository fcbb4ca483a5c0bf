/**
 * What storing a key under a fixed id (`ConfigStore.putApiKey`) must do, from what the store holds:
 * the id that holds this key's hash, if any, and whether the id holds a key. One decision for every
 * config store adapter, each of which reads both and applies the step in one transaction.
 */
export type KeyPutStep =
  | { readonly kind: 'taken'; readonly byKeyId: string }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'store'; readonly outcome: 'created' | 'replaced' };

export function planKeyPut(keyId: string, hashHeldBy: string | undefined, idExists: boolean): KeyPutStep {
  if (hashHeldBy === keyId) return { kind: 'unchanged' };
  if (hashHeldBy !== undefined) return { kind: 'taken', byKeyId: hashHeldBy };
  return { kind: 'store', outcome: idExists ? 'replaced' : 'created' };
}
