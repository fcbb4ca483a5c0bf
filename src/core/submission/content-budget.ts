import { HeraldError } from '../domain/errors.ts';
import type { PreparedMessage } from './prepare-recipient.ts';

/**
 * How much text one request's messages may carry together, as encoded on the transport (JSON,
 * UTF-8). Each recipient becomes its own message carrying its own copy of the text, so without a
 * bound a 1 MiB request turns into 100 e-mails of 512 KiB: 50 MB to render, hash, encode and
 * produce, 30 times the work of a normal request, while other clients' requests wait. 2 MiB holds
 * 100 e-mails of 20 KiB or 100 full LMS.
 */
export const DEFAULT_REQUEST_CONTENT_LIMIT_BYTES = 2 * 1_048_576;

/**
 * Counts what the prepared messages carry, recipient by recipient, and refuses the request
 * (413 HERALD_MESSAGES_TOO_LARGE) as soon as the total passes the limit: the work done is then at
 * most the limit and one message more. Text shared by every recipient is measured once.
 */
export class ContentBudget {
  readonly #limitBytes: number;
  readonly #sizes = new WeakMap<object, number>();
  #used = 0;
  #messages = 0;

  constructor(limitBytes: number = DEFAULT_REQUEST_CONTENT_LIMIT_BYTES) {
    this.#limitBytes = limitBytes;
  }

  spend(message: PreparedMessage, recipients: number): void {
    const carried = message.content ?? message.template;
    if (carried === undefined) return;
    let size = this.#sizes.get(carried);
    if (size === undefined) {
      size = Buffer.byteLength(JSON.stringify(carried));
      this.#sizes.set(carried, size);
    }
    this.#used += size;
    this.#messages += 1;
    if (this.#used > this.#limitBytes) throw this.#exceeded(recipients);
  }

  #exceeded(recipients: number): HeraldError {
    const limit = `herald takes at most ${this.#limitBytes} bytes of text per request`;
    if (this.#messages === 1) {
      return new HeraldError(
        'HERALD_MESSAGES_TOO_LARGE',
        `one message of this request would carry ${this.#used} bytes of text as encoded for the ` +
          `transport (JSON escapes quotes, backslashes and control characters); ${limit}: shorten the text`,
        { field: 'content.body' },
      );
    }
    const average = this.#used / this.#messages;
    return new HeraldError(
      'HERALD_MESSAGES_TOO_LARGE',
      `the ${recipients} messages of this request would carry more than ${this.#limitBytes} bytes of ` +
        `text together (the first ${this.#messages} already carry ${this.#used}, about ` +
        `${Math.round(average)} each); ${limit}: send at most ` +
        `${Math.floor(this.#limitBytes / average)} recipients of this size per request`,
      { field: 'recipients' },
    );
  }
}
