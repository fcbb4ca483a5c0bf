import { checkUserId } from '../devices/device-registration.ts';
import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { RecipientInput, SubmissionRequest } from './submission-types.ts';

export const USER_ID_MAX = 255;
export const APP_MAX = 255;

/** The address a recipient gives: a device token, phone number or e-mail (`to`/`token`), or a push user. */
export type RecipientAddress =
  | { readonly kind: 'address'; readonly value: string; readonly field: 'to' | 'token' }
  | { readonly kind: 'user'; readonly userId: string };

/**
 * Which form each recipient takes. A recipient gives exactly one of `to`, `token` (push) or `userId`
 * (push); `provider` and `app` describe a token and do not apply to a user (the device registry
 * knows each device's provider and app). A recipient that breaks this is a bug in the client's
 * code, the same for every recipient it builds: the whole request is refused (400
 * HERALD_VALIDATION_FAILED, naming the field), as for a schema error, and nothing is accepted.
 * `provider` on another channel stays a per-recipient refusal (push-addressing.ts), as it was first.
 */
export function checkRecipientForms(request: Pick<SubmissionRequest, 'channel' | 'recipients'>): void {
  request.recipients.forEach((recipient, index) => {
    const problem = formProblem(request.channel, recipient, `recipients[${index}]`);
    if (problem) throw problem;
  });
}

/** The address of a recipient whose form checkRecipientForms accepted. */
export function addressOf(recipient: RecipientInput): RecipientAddress {
  if (recipient.userId !== undefined) return { kind: 'user', userId: recipient.userId };
  return recipient.to !== undefined
    ? { kind: 'address', value: recipient.to, field: 'to' }
    : { kind: 'address', value: recipient.token ?? '', field: 'token' };
}

function formProblem(channel: Channel, recipient: RecipientInput, at: string): HeraldError | undefined {
  const given = (['to', 'token', 'userId'] as const).filter((name) => recipient[name] !== undefined);
  if (channel !== 'push') {
    const pushOnly = (['token', 'userId', 'app'] as const).find((name) => recipient[name] !== undefined);
    if (pushOnly) return invalid(`${at}.${pushOnly}`, `applies to push only; give ${at}.to for ${channel}`);
    return given.length === 0 ? invalid(`${at}.to`, 'is required') : undefined;
  }
  if (given.length !== 1) {
    const which = given.length === 0 ? 'gives none' : `gives ${given.join(' and ')}`;
    return invalid(
      at,
      `${which}; give exactly one of to or token (a device token) or userId (every live device ` +
        'registered for the user with PUT /v1/devices)',
    );
  }
  if (recipient.userId !== undefined) return userProblem(recipient, at);
  return recipient.app === undefined ? undefined : appProblem(recipient.app, `${at}.app`);
}

function userProblem(recipient: RecipientInput, at: string): HeraldError | undefined {
  for (const name of ['provider', 'app'] as const) {
    if (recipient[name] === undefined) continue;
    return invalid(
      `${at}.${name}`,
      `does not apply with userId: each device of the user was registered with its ${name} ` +
        '(PUT /v1/devices); remove it, or send to the device with token',
    );
  }
  const field = `${at}.userId`;
  const problem = lengthProblem(recipient.userId!, field, USER_ID_MAX);
  if (problem) return problem;
  // What PUT /v1/devices takes as a user id, so every registered user can be sent to.
  checkUserId(recipient.userId!, field);
  return undefined;
}

/** The app becomes the apns-topic header: printable ASCII, as PUT /v1/devices takes it. */
const HEADER_SAFE = /^[\x21-\x7E]+$/;

function appProblem(app: string, field: string): HeraldError | undefined {
  const problem = lengthProblem(app, field, APP_MAX);
  if (problem || HEADER_SAFE.test(app)) return problem;
  return invalid(field, 'must be printable ASCII without spaces: the bundle id (APNs topic) or package name');
}

function lengthProblem(value: string, field: string, max: number): HeraldError | undefined {
  if (value.length === 0) return invalid(field, 'must not be empty');
  if (value.length > max) return invalid(field, `must be at most ${max} characters`);
  return undefined;
}

function invalid(field: string, problem: string): HeraldError {
  return new HeraldError('HERALD_VALIDATION_FAILED', `${field} ${problem}`, { field });
}
