import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { nhnRefusal, nhnSuccess } from './nhn-sms-answers.ts';

/** SMSDOC `api-guide.md` "첨부 파일 업로드": fileName up to 45 characters, jpg/jpeg (lowercase) only. */
const FILE_NAME_MAX = 45;
/** -2005: "The file size must be greater than 0 and less than 300KB." */
const FILE_MAX_BYTES = 300 * 1024;
/**
 * How long the simulated NHN keeps an attach file. NHN documents none (only -2004 "File is expired
 * or does not exist"); a day is longer than herald reuses an id (6 h), so a test that wants to see
 * -2004 moves the simulation's clock.
 */
export const ATTACH_FILE_LIFETIME_MS = 24 * 60 * 60_000;

/**
 *   POST /sms/v3.0/appKeys/{appKey}/attachfile/binaryUpload
 *   {"fileName":"a.jpg","createUser":"herald","fileBody":"<base64>" | [byte, ...]}
 *   -> {"header":{...},"body":{"data":{"fileId":...,"fileName":"a.jpg","filePath":"..."}}}
 *
 * NHN's fileId is an integer; the simulator's is the shared UploadedFiles id (hex), which adapters
 * must take as opaque. Refusals: -2002 name missing or too long, -2003 not .jpg/.jpeg, -2005 empty
 * or over 300 KB, 4 createUser missing.
 */
export function uploadAttachFile(vendorId: string, raw: unknown, text: TextSimulation): HttpAnswer {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { fileName, createUser, fileBody } = fields;
  if (typeof fileName !== 'string' || fileName === '' || fileName.length > FILE_NAME_MAX) {
    return nhnRefusal(-2002);
  }
  if (!/\.(jpg|jpeg)$/.test(fileName)) return nhnRefusal(-2003);
  if (typeof createUser !== 'string' || createUser === '') return nhnRefusal(4);
  const content = bytesOf(fileBody);
  if (content === undefined) return nhnRefusal(-9997);
  if (content.byteLength === 0 || content.byteLength > FILE_MAX_BYTES) return nhnRefusal(-2005);
  const file = text.files.add(vendorId, fileName, content, ATTACH_FILE_LIFETIME_MS, text.now());
  return nhnSuccess({ fileId: file.fileId, fileName, filePath: `sim/${vendorId}/${file.fileId}` });
}

/** fileBody is the Base64 of the bytes, or (older clients) the byte array itself. */
function bytesOf(fileBody: unknown): Uint8Array | undefined {
  if (typeof fileBody === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(fileBody)) return undefined;
    return Buffer.from(fileBody, 'base64');
  }
  if (Array.isArray(fileBody) && fileBody.every((byte) => Number.isInteger(byte))) {
    return Uint8Array.from(fileBody as number[]);
  }
  return undefined;
}
