/**
 * SOLAPI's checks of a VOICE message's voiceOptions (solapi-nodejs
 * src/models/requests/voice/voiceOption.ts; examples/javascript/common/src/voice/send_voice_message.js;
 * solapi-go v2/_examples/messages/send_voice_message/main.go):
 *
 * - voiceOptions.voiceType is required, FEMALE or MALE;
 * - headerMessage and tailMessage take at most 135 characters each;
 * - replyRange is 1-9, and excludes counselorNumber.
 *
 * SOLAPI documents no voice-specific status code: the simulator answers a missing voiceType with
 * 1010 (필수 입력 값 미입력) and any other broken option with 1011 (Format Error), its generic codes
 * (docs api-reference/message-status-codes.md). Returns undefined when the options pass.
 */
export function voiceOptionsProblem(
  options: unknown,
): { readonly statusCode: '1010' | '1011'; readonly statusMessage: string } | undefined {
  const voice = isRecord(options) ? options : undefined;
  if (voice?.voiceType === undefined) {
    return { statusCode: '1010', statusMessage: '필수 입력 값 미입력: voiceOptions.voiceType' };
  }
  const format = (field: string) => ({
    statusCode: '1011' as const,
    statusMessage: `Format Error: voiceOptions.${field}`,
  });
  if (voice.voiceType !== 'FEMALE' && voice.voiceType !== 'MALE') return format('voiceType');
  for (const field of ['headerMessage', 'tailMessage'] as const) {
    const text = voice[field];
    if (text !== undefined && (typeof text !== 'string' || [...text].length > VOICE_MESSAGE_MAX_CHARS)) {
      return format(field);
    }
  }
  const range = voice.replyRange;
  if (range !== undefined && !(Number.isInteger(range) && (range as number) >= 1 && (range as number) <= 9)) {
    return format('replyRange');
  }
  const counselor = voice.counselorNumber;
  if (counselor !== undefined && (typeof counselor !== 'string' || !/^\d{8,12}$/.test(counselor))) {
    return format('counselorNumber');
  }
  if (range !== undefined && counselor !== undefined) return format('replyRange');
  return undefined;
}

/** headerMessage and tailMessage: at most 135 characters (the SDK examples' comments). */
export const VOICE_MESSAGE_MAX_CHARS = 135;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
