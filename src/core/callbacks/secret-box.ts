import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals the webhook signing secrets before they reach the webhook store (AES-256-GCM, a fresh
 * 12-byte nonce each time): the database alone cannot sign a callback, and a sealed value that was
 * altered fails to open instead of signing with garbage. Format: `v1.<nonce>.<tag>.<ciphertext>`,
 * base64url parts, so a later key scheme can sit beside it.
 */
export class SecretBox {
  readonly #key: Buffer;

  /** `key`: 32 bytes (HERALD_WEBHOOK_KEY, or the generated key file of the embedded default). */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the webhook key must be 32 bytes');
    this.#key = key;
  }

  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, nonce, tag, data] = sealed.split('.');
    if (version !== 'v1' || nonce === undefined || tag === undefined || data === undefined) {
      throw new Error('not a sealed webhook secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
