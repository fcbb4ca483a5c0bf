import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundImage } from '../../core/domain/message.ts';
import { FILE_ID_CACHE, fileIdKey } from '../file-id-cache.ts';
import type { SolapiApi } from './solapi-api.ts';

/**
 * How long herald reuses an image id SOLAPI's storage gave it. SOLAPI documents no expiry for
 * stored files (they stay until deleted: docs api-reference/storage); a week keeps the cache
 * bounded, and an id SOLAPI forgot anyway (status 1034) is dropped and uploaded again.
 */
export const SOLAPI_FILE_LIFETIME_MS = 7 * 24 * 3_600_000;

/** SOLAPI stores MMS images up to 200 KB (solapi-nodejs storageService.ts uploadFile; docs storage/uploadfile.md). */
export const SOLAPI_MMS_IMAGE_MAX_BYTES = 200 * 1024;

/**
 * The imageId of an MMS image at this SOLAPI account: uploaded once through
 * `POST /storage/v1/files {file: base64, type: 'MMS', name}` (solapi-nodejs
 * src/services/storage/storageService.ts uploadFile; answer {fileId, type, ...}), then shared by
 * every lane through FILE_ID_CACHE until it lapses.
 */
export function solapiImageId(api: SolapiApi, image: OutboundImage, signal: AbortSignal): Promise<string> {
  return FILE_ID_CACHE.fileIdFor(imageKey(api, image), async () => {
    const body = (await api.call(
      'POST',
      '/storage/v1/files',
      { file: Buffer.from(image.content).toString('base64'), type: 'MMS', name: image.fileName },
      signal,
    )) as { fileId?: unknown } | undefined;
    if (typeof body?.fileId !== 'string' || body.fileId === '') {
      throw new HeraldError(
        'HERALD_VENDOR_UNAVAILABLE',
        `Vendor ${api.id} stored the image without a file id`,
        {
          retryable: true,
          vendorFault: true,
          vendorCode: 'NO_FILE_ID',
        },
      );
    }
    return { fileId: body.fileId, expiresAt: Date.now() + SOLAPI_FILE_LIFETIME_MS };
  });
}

/** Forgets the image's id (SOLAPI said it does not know it). */
export function forgetSolapiImage(api: SolapiApi, image: OutboundImage): void {
  FILE_ID_CACHE.forget(imageKey(api, image));
}

function imageKey(api: SolapiApi, image: OutboundImage): string {
  return fileIdKey(api.id, api.apiKey, image.sha256);
}
