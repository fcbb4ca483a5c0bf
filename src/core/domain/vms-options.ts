/**
 * What a VMS (voice message: a phone call that reads the text out) carries besides its text, in
 * herald's own shape; given once per request (every recipient gets the same options) and carried
 * in the envelope. Modelled on SOLAPI's voiceOptions (solapi-nodejs
 * src/models/requests/voice/voiceOption.ts, examples/javascript/common/src/voice/send_voice_message.js):
 *
 * - `voiceType`: the synthesised voice, `female` (the default) or `male`.
 * - `headerMessage`: read first; the recipient must press a key before the body is read.
 * - `tailMessage`: read at the end, after the recipient pressed a key in `replyRange` (or 0 for the
 *   counselor); it is only played when there is a headerMessage.
 * - `replyRange`: 1-9, the keys the recipient may press; `counselorNumber`: the number the call is
 *   put through to when the recipient presses 0. The two exclude each other.
 */
export interface VmsOptions {
  readonly voiceType?: VmsVoiceType;
  readonly headerMessage?: string;
  readonly tailMessage?: string;
  readonly replyRange?: number;
  /** Digits only, normalised at the API (a Korean number). */
  readonly counselorNumber?: string;
}

export const VMS_VOICE_TYPES = ['female', 'male'] as const;
export type VmsVoiceType = (typeof VMS_VOICE_TYPES)[number];

/** SOLAPI's headerMessage and tailMessage: at most 135 characters (SDK examples' comments). */
export const VMS_HEADER_TAIL_MAX_CHARS = 135;
export const VMS_REPLY_RANGE_MIN = 1;
export const VMS_REPLY_RANGE_MAX = 9;
