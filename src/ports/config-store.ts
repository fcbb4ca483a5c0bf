import type { Channel } from '../core/domain/channel.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../core/domain/remote-config.ts';

/**
 * Config store port: the remote config document, API keys and the advertising opt-out lists
 * (AlimTalk templates have their own port, template-store.ts).
 *
 * Deliberately left out: how changes travel (polling, LISTEN/NOTIFY, pub/sub). `watch` promises
 * only that a change reaches every subscriber within a second.
 */
export type ApiKeyRole = 'client' | 'admin';

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly clientId: string;
  readonly role: ApiKeyRole;
  readonly name: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** What `putApiKey` did. */
export type PutApiKeyResult =
  | { readonly outcome: 'created' | 'replaced' | 'unchanged'; readonly record: ApiKeyRecord }
  /** The key is stored already under another id: nothing was changed. */
  | { readonly outcome: 'taken'; readonly byKeyId: string };

export interface ConfigStore {
  /** The current remote config, or undefined before anything was stored. */
  getRemoteConfig(): Promise<RemoteConfig | undefined>;
  /**
   * Stores a new version. With `expectedVersion`, fails with HERALD_CONFIG_CONFLICT when the
   * stored version differs (optimistic concurrency for admins editing at the same time).
   */
  putRemoteConfig(document: RemoteConfigDocument, expectedVersion?: number): Promise<RemoteConfig>;
  /** Calls `onChange` with every new version, within a second of the change. Returns an unsubscribe. */
  watchRemoteConfig(onChange: (config: RemoteConfig) => void): () => void;

  /** Stores a key by its hash (the key itself is never stored). */
  createApiKey(record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>, keyHash: string): Promise<ApiKeyRecord>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** The key stored under this id, revoked or not. */
  findApiKeyById(keyId: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Stores the key under `record.keyId`, replacing the key stored under that id before (hash,
   * client, role, name; a revocation is lifted: the new key is a new credential), so the old key
   * stops working. For keys that configuration names (the bootstrap key): a changed setting rotates
   * the key. The same key again changes nothing, and a revoked one stays revoked.
   */
  putApiKey(record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>, keyHash: string): Promise<PutApiKeyResult>;
  revokeApiKey(keyId: string): Promise<void>;
  /** Every key, revoked ones included, oldest first (records only: the hash never leaves the store). */
  listApiKeys(): Promise<ApiKeyRecord[]>;

  /**
   * Advertising opt-outs (정보통신망법 §50②), one list per client and channel. Recipients are
   * given as HMAC hashes of the normalised recipient, never in clear. Adding twice and removing
   * what is not listed are no-ops, so a client may repeat either call.
   */
  addOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void>;
  removeOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void>;
  /** Which of `recipientHashes` are on the list: one round-trip for a whole request. */
  findOptOuts(clientId: string, channel: Channel, recipientHashes: readonly string[]): Promise<Set<string>>;

  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
