import type { ConfigStore } from '../../ports/config-store.ts';
import type { DedupStore } from '../../ports/dedup-store.ts';
import type { AcceptedRequest, HistoryStore } from '../../ports/history-store.ts';
import type { IdempotencyStore } from '../../ports/idempotency-store.ts';
import type { Transport } from '../../ports/transport.ts';
import type { RenderMeter } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { InlineContent } from '../domain/message.ts';
import type { PushOptions } from '../domain/push-message.ts';
import type { PushProvider } from '../domain/push-provider.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import type { VmsOptions } from '../domain/vms-options.ts';
import type { ImageInput, MmsOptions } from '../media/image-input.ts';
import type { TemplateLookup } from '../templates/template-lookup.ts';
import type { AcceptStageObserver } from './accept-stages.ts';
import type { ImageContext } from './attach-images.ts';
import type { SenderLookup } from './resolve-senders.ts';

/** What the submission use-case needs from the outside world: a few stores' methods, no more. */
export interface SubmissionContext {
  /**
   * The `queued` and `duplicate` events after the answer, and a failed produce's `failed` events.
   * The request itself goes to the history log with its messages, through `transport`.
   */
  readonly history: Pick<HistoryStore, 'appendEvents'>;
  /**
   * Read-your-writes (ReadYourWritesHistory.rememberAccepted): keeps an accepted request where the
   * API's GETs find it until history has it. Called alongside the produce of the request's record
   * and its messages; never throws (a failure only costs read-your-writes for that request).
   */
  readonly rememberAccepted?: (request: AcceptedRequest) => Promise<void>;
  readonly transport: Pick<Transport, 'produce'>;
  /** Content dedup's claims (dedup.byContent): the dedup store the workers use, not history. */
  readonly dedup: Pick<DedupStore, 'claimFirst' | 'releaseClaims'>;
  /** The records of clients' Idempotency-Keys (see submit-idempotently.ts). */
  readonly idempotency: Pick<IdempotencyStore, 'claim' | 'complete' | 'release'>;
  /** Counts a keyed request accepted without its idempotency record (the store was unreachable). */
  readonly countIdempotencyFailOpen?: () => void;
  /** The clients' AlimTalk templates (an alimtalk request's must be its client's and approved). */
  readonly templates: TemplateLookup;
  /** The advertising opt-out lists, read once per ad-lane request. */
  readonly optOuts: Pick<ConfigStore, 'findOptOuts'>;
  /**
   * The clients' sender numbers and Kakao channels (sender registry), read once per SMS/LMS/MMS or
   * AlimTalk request; the API passes its short cache (api/sender-cache.ts).
   */
  readonly senders: SenderLookup;
  /** The live remote config (applied without restart). */
  readonly config: () => RemoteConfigDocument;
  readonly recipientHashSecret: string;
  readonly now?: () => number;
  /** For failures that do not change the answer (a history write after the messages are queued). */
  readonly logger?: WarningLogger;
  /** Most text one request's messages may carry together, bytes (content-budget.ts has the default). */
  readonly requestContentLimitBytes?: number;
  /** Told how long each stage of an accepted request took (the API's herald_accept_stage_seconds). */
  readonly acceptStages?: AcceptStageObserver;
  /** Told what each rendering of a recipient's text produced (tests prove rendering bounded with it). */
  readonly renderMeter?: RenderMeter;
  /** MMS images: the client's image hosts, the fetcher, the media store. Absent: images are refused (503). */
  readonly images?: ImageContext;
}

/** The one logging call the use-case makes; a pino logger fits. */
export interface WarningLogger {
  warn(details: object, message: string): void;
}

export type Vars = Readonly<Record<string, string>>;

/**
 * One recipient, in one of three forms (recipient-forms.ts checks that exactly one is given):
 * `to` (phone number, e-mail address, or device token on push), `token` (push: a device token, the
 * same as `to`), or `userId` (push: every live device the client registered for that user).
 */
export interface RecipientInput {
  /** Phone number, device token or e-mail address, as the client wrote it. */
  readonly to?: string;
  /** Push only: a device token (FCM registration token or APNs device token); same as `to`. */
  readonly token?: string;
  /** Push only: the client's user id, resolved by the worker into the user's live devices. */
  readonly userId?: string;
  readonly vars?: Vars;
  /** Push only: the token's service; told from the token's shape when absent (push-addressing.ts). */
  readonly provider?: PushProvider;
  /** Push to a token only: the app it belongs to (APNs topic); absent, the vendor's default topic. */
  readonly app?: string;
  /**
   * Ad lane: the client asserts this recipient gave separate prior consent to ads at night
   * (정보통신망법 §50③). herald keeps no consent records; without it a night ad waits for 08:00 KST.
   */
  readonly nightAdConsent?: boolean;
}

export interface TemplateInput {
  readonly code: string;
  /** Values shared by every recipient; a recipient's own vars win. */
  readonly vars?: Vars;
}

/**
 * Content dedup, by the client's choice: a message whose content, recipient and channel match a
 * message this client had accepted within `windowSeconds` is answered `duplicate` with the earlier
 * message's id, whichever request carried it. The window is the one the earlier message was
 * accepted with: its content key is claimed in the dedup store for that long (dedup-plan.ts).
 */
export interface DedupOption {
  readonly byContent: boolean;
  /** How long a message blocks its repeats; only with byContent. Default: the dedup window of the remote config. */
  readonly windowSeconds?: number;
}

export interface SubmissionRequest {
  /** The authenticated client (from the API key), never from the body. */
  readonly clientId: string;
  /** The client's Idempotency-Key header: a retry with it is answered with the first answer. */
  readonly idempotencyKey?: string;
  readonly channel: Channel;
  readonly lane: Lane;
  /** Inline text; on sms/lms/mms also up to 3 JPEG images (then sent as mms: attach-images.ts). */
  readonly content?: InlineContent & { readonly images?: readonly ImageInput[] };
  readonly template?: TemplateInput;
  /** MMS only: what to do with an mms request that has no image. */
  readonly mms?: MmsOptions;
  readonly expiresInSeconds?: number;
  /**
   * SMS/LMS/MMS: the sender number (발신번호), registered for the client; absent: the client's
   * default. AlimTalk: the number of its SMS/LMS fallback (default: the client's default).
   * E-mail: an address registered for the client (PUT /v1/email-senders); absent: its default.
   */
  readonly from?: string;
  /** E-mail only: the Reply-To address. */
  readonly replyTo?: string;
  /** Who advertises; required on the ad lane, where the text must carry the name (시행령 §61). */
  readonly sender?: { readonly name: string };
  readonly recipients: readonly RecipientInput[];
  readonly dedup?: DedupOption;
  /** Push only: FCM/APNs options for every recipient (check-push-options.ts). */
  readonly push?: PushOptions;
  /** VMS only: voice, header and tail, reply keys or counselor for every recipient (check-vms-options.ts). */
  readonly vms?: VmsOptions;
}

export interface RecipientError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type RecipientOutcome =
  | {
      readonly index: number;
      readonly messageId: string;
      /**
       * `duplicate`: the same message was accepted before (earlier in this request, or in an earlier
       * request under content dedup); `messageId` is that message.
       */
      readonly status: 'accepted' | 'duplicate';
      /** The channel it is sent on: `lms` for an SMS that was upgraded. */
      readonly channel: Channel;
    }
  | RejectedRecipient;

/** A recipient refused at submission: it has no message, and its error says why. */
export interface RejectedRecipient {
  readonly index: number;
  readonly error: RecipientError;
}

export interface SubmissionResult {
  readonly requestId: string;
  /** One entry per recipient, in request order. */
  readonly messages: readonly RecipientOutcome[];
}

/** Every recipient was rejected: nothing was accepted, and `messages` says why for each. */
export class NoValidRecipientsError extends HeraldError {
  readonly messages: readonly RejectedRecipient[];

  constructor(messages: readonly RejectedRecipient[]) {
    const first = messages[0]?.error.message ?? 'no recipients';
    super(
      'HERALD_NO_VALID_RECIPIENTS',
      `none of the ${messages.length} recipients can be sent to; the first problem: ${first}`,
    );
    this.messages = messages;
  }
}
