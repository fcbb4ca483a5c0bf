import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundImage } from '../../core/domain/message.ts';
import { type FileIdCache, fileIdKey, type UploadedFileId } from '../file-id-cache.ts';
import type { JsonHttpClient } from '../http1/json-http-client.ts';
import { nhnUploadPath } from './nhn-sms-request.ts';
import { nhnDataOf } from './nhn-sms-response.ts';

/**
 * How long herald reuses an uploaded file id. NHN's v3.0 guide gives no lifetime for attach files
 * (only -2004 "File is expired or does not exist"), so herald keeps ids a conservative 6 hours and,
 * on -2004, forgets them and uploads once more (nhn-sms-vendor.ts).
 */
export const ATTACH_FILE_REUSE_MS = 6 * 60 * 60_000;

/** Who uploaded, as NHN records it (`createUser`, required, up to 100 characters). */
const CREATE_USER = 'herald';

export interface NhnAttachContext {
  readonly vendorId: string;
  readonly appKey: string;
  readonly client: JsonHttpClient;
  readonly headers: Readonly<Record<string, string>>;
  readonly cache: FileIdCache;
  readonly now: () => number;
}

/**
 * The NHN file ids of a message's images, in order: each uploaded once per vendor account and
 * reused from the process-wide cache until ATTACH_FILE_REUSE_MS passes.
 *
 *   POST /sms/v3.0/appKeys/{appKey}/attachfile/binaryUpload
 *   {"fileName":"a.jpg","createUser":"herald","fileBody":"<base64 of the JPEG>"}
 *   -> {"header":{...},"body":{"data":{"fileId":178576,"fileName":"a.jpg","filePath":"..."}}}
 *
 * (SMSDOC `api-guide.md` "첨부 파일 업로드": fileName up to 45 characters, jpg/jpeg only;
 * fileBody the Base64 of at most 300 KB.) NHN's fileId is an integer; it is sent back as one.
 */
export async function attachFileIdsOf(
  context: NhnAttachContext,
  images: readonly OutboundImage[],
  signal: AbortSignal,
): Promise<(number | string)[]> {
  const ids = await Promise.all(
    images.map((image) =>
      context.cache.fileIdFor(keyOf(context, image), () => upload(context, image, signal)),
    ),
  );
  return ids.map((id) => (/^\d+$/.test(id) ? Number(id) : id));
}

/** Forgets the images' ids (NHN said -2004: it no longer has one of them). */
export function forgetAttachFiles(context: NhnAttachContext, images: readonly OutboundImage[]): void {
  for (const image of images) context.cache.forget(keyOf(context, image));
}

function keyOf(context: NhnAttachContext, image: OutboundImage): string {
  return fileIdKey(context.vendorId, context.appKey, image.sha256);
}

async function upload(
  context: NhnAttachContext,
  image: OutboundImage,
  signal: AbortSignal,
): Promise<UploadedFileId> {
  const response = await context.client.request({
    method: 'POST',
    path: nhnUploadPath(context.appKey),
    headers: context.headers,
    json: {
      fileName: image.fileName,
      createUser: CREATE_USER,
      fileBody: Buffer.from(image.content).toString('base64'),
    },
    signal,
  });
  const data = nhnDataOf(context.vendorId, response, context.now());
  if (data instanceof HeraldError) throw data;
  const { fileId } = data;
  if ((typeof fileId !== 'number' && typeof fileId !== 'string') || fileId === '') {
    throw new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `NHN SMS (${context.vendorId}) answered an upload without a fileId`,
      { retryable: true, vendorCode: 'MALFORMED_RESPONSE', vendorFault: true },
    );
  }
  return { fileId: String(fileId), expiresAt: context.now() + ATTACH_FILE_REUSE_MS };
}
