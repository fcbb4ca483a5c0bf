import { SOLAPI_MMS_IMAGE_MAX_BYTES } from '../../vendors/solapi/solapi-storage.ts';
import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError, solapiOk } from './solapi-answers.ts';

/** SOLAPI keeps stored files until deleted; the simulator keeps them 30 days. */
const FILE_LIFETIME_MS = 30 * 24 * 3_600_000;

/**
 * `POST /storage/v1/files {file: base64, type, name}` -> `{fileId, type, name, ...}`. An MMS file
 * must be a JPEG of at most 200 KB.
 */
export function handleFileUpload(request: TextRequest, context: TextContractContext): HttpAnswer {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const file = typeof body?.file === 'string' ? Buffer.from(body.file, 'base64') : undefined;
  if (file === undefined || file.length === 0)
    return solapiError(400, 'ValidationError', 'file (base64) is required');
  const type = typeof body?.type === 'string' ? body.type : 'MMS';
  if (type === 'MMS') {
    if (file.length > SOLAPI_MMS_IMAGE_MAX_BYTES) {
      return solapiError(400, 'ValidationError', 'MMS 이미지는 200KB 이하만 업로드할 수 있습니다');
    }
    if (file[0] !== 0xff || file[1] !== 0xd8)
      return solapiError(400, 'ValidationError', 'MMS 이미지는 JPG만 사용할 수 있습니다');
  }
  const name = typeof body?.name === 'string' && body.name !== '' ? body.name : 'image.jpg';
  const now = context.text.now();
  const stored = context.text.files.add(request.vendorId, name, file, FILE_LIFETIME_MS, now);
  const date = new Date(now).toISOString();
  return solapiOk({
    fileId: stored.fileId,
    type,
    name,
    originalName: name,
    link: null,
    url: `https://api.solapi.com/storage/v1/files/${stored.fileId}/download`,
    accountId: context.text.trust[request.vendorId]?.accountId ?? '',
    references: [],
    dateCreated: date,
    dateUpdated: date,
  });
}
