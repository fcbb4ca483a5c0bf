import { measureText } from '../content/channel-limits.ts';
import { hasLineBreakingControl } from '../content/rules/control-characters.ts';
import { type ErrorCode, HeraldError } from '../domain/errors.ts';
import {
  VMS_HEADER_TAIL_MAX_CHARS,
  VMS_REPLY_RANGE_MAX,
  VMS_REPLY_RANGE_MIN,
  type VmsOptions,
} from '../domain/vms-options.ts';
import { normaliseSenderNumber } from '../senders/sender-number.ts';
import type { SubmissionRequest } from './submission-types.ts';

/**
 * The request's `vms` options, checked once for the request (every recipient gets the same) with
 * the rules SOLAPI's voice message applies (domain/vms-options.ts), so a call SOLAPI would refuse
 * or play wrongly is refused at the API with the field named. Returns the options as the envelope
 * carries them: the counselor number as digits. The body's length is a channel limit
 * (content/channel-limits.ts).
 */
export function checkVmsOptions(request: Pick<SubmissionRequest, 'channel' | 'vms'>): VmsOptions | undefined {
  const { vms } = request;
  if (vms === undefined) return undefined;
  if (request.channel !== 'vms') {
    throw fail(
      'HERALD_VMS_OPTIONS_INVALID',
      'vms',
      `applies to channel vms only; remove it for ${request.channel}`,
    );
  }
  checkSpoken(vms.headerMessage, 'vms.headerMessage');
  checkSpoken(vms.tailMessage, 'vms.tailMessage');
  if (vms.tailMessage !== undefined && vms.headerMessage === undefined) {
    throw fail(
      'HERALD_VMS_TAIL_WITHOUT_HEADER',
      'vms.tailMessage',
      'is only played after a headerMessage; add vms.headerMessage or end the body with these words',
    );
  }
  const range = vms.replyRange;
  if (
    range !== undefined &&
    !(Number.isInteger(range) && range >= VMS_REPLY_RANGE_MIN && range <= VMS_REPLY_RANGE_MAX)
  ) {
    throw fail(
      'HERALD_VMS_OPTIONS_INVALID',
      'vms.replyRange',
      `must be a whole number from ${VMS_REPLY_RANGE_MIN} to ${VMS_REPLY_RANGE_MAX} (the keys the recipient may press)`,
    );
  }
  if (vms.counselorNumber === undefined) return vms;
  if (range !== undefined) {
    throw fail(
      'HERALD_VMS_OPTIONS_CONFLICT',
      'vms.counselorNumber',
      'and vms.replyRange exclude each other (the recipient presses a key of the range, or 0 for the counselor); keep one',
    );
  }
  const counselorNumber = normaliseSenderNumber(vms.counselorNumber);
  if (counselorNumber === undefined) {
    throw fail(
      'HERALD_VMS_OPTIONS_INVALID',
      'vms.counselorNumber',
      'must be a Korean phone number (e.g. 02-930-2266 or 1588-0000); hyphens, spaces and dots are accepted',
    );
  }
  return { ...vms, counselorNumber };
}

function checkSpoken(text: string | undefined, field: string): void {
  if (text === undefined) return;
  if (text.trim() === '' || hasLineBreakingControl(text)) {
    throw fail('HERALD_VMS_OPTIONS_INVALID', field, 'must be non-empty text on one line');
  }
  const length = measureText(text, 'characters');
  if (length > VMS_HEADER_TAIL_MAX_CHARS) {
    throw fail(
      'HERALD_VMS_MESSAGE_TOO_LONG',
      field,
      `is ${length} characters; a voice message's header or tail takes at most ${VMS_HEADER_TAIL_MAX_CHARS}`,
    );
  }
}

function fail(code: ErrorCode, field: string, problem: string): HeraldError {
  return new HeraldError(code, `${field} ${problem}`, { field });
}
