import { imageSize } from 'image-size';
import { HeraldError } from '../domain/errors.ts';
import { jpegFrameOf } from './jpeg-frame.ts';

/**
 * The MMS image rules, the strictest of the three vendors' so an image herald accepts goes through
 * any of them: NHN Cloud SMS v3.0 (attach file: jpg only, <= 300 KB, <= 1000x1000, at most 3, total
 * <= 800 KB; vendor-contracts.md §4) and SENS (jpg/jpeg, <= 300 KB, file name <= 40 characters);
 * a vendor with a stricter rule of its own enforces it in its adapter. Checked once, at the API.
 */
export const MMS_MAX_IMAGES = 3;
export const MMS_IMAGE_MAX_BYTES = 300 * 1024;
export const MMS_IMAGES_TOTAL_MAX_BYTES = 800 * 1024;
export const MMS_IMAGE_MAX_SIDE = 1000;
/** SENS' limit on a file name, the shortest of the three. */
export const MMS_FILE_NAME_MAX = 40;

export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

/**
 * Throws HERALD_IMAGE_INVALID (400) naming the image (`label`, e.g. `content.images[1]`) and the
 * limit it breaks, else returns its size. JPEG is told by its magic bytes (FF D8 FF) and the frame
 * header: only a baseline frame (SOF0) is taken, because handsets and carriers' MMS gateways are
 * known to refuse progressive and arithmetic-coded JPEGs the vendors themselves accept.
 */
export function checkImage(content: Uint8Array, label: string): ImageDimensions {
  checkImageBytes(content.length, label);
  if (!(content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff)) {
    throw invalid(label, 'is not a JPEG (MMS takes JPEG only)');
  }
  const frame = jpegFrameOf(content);
  if (frame === undefined) throw invalid(label, 'is a JPEG without a frame header (truncated or damaged)');
  if (frame !== 'baseline') throw invalid(label, `is a ${frame} JPEG; MMS takes baseline JPEG only`);
  let size: { width?: number; height?: number };
  try {
    size = imageSize(content);
  } catch (error) {
    throw invalid(label, 'is a JPEG whose size cannot be read', error);
  }
  const { width = 0, height = 0 } = size;
  if (width < 1 || height < 1) throw invalid(label, 'is a JPEG whose size cannot be read');
  if (width > MMS_IMAGE_MAX_SIDE || height > MMS_IMAGE_MAX_SIDE) {
    throw invalid(
      label,
      `is ${width}x${height} pixels; an MMS image may be at most ${MMS_IMAGE_MAX_SIDE}x${MMS_IMAGE_MAX_SIDE}`,
    );
  }
  return { width, height };
}

/** The per-image size rule alone (also applied to base64 before it is decoded). */
export function checkImageBytes(bytes: number, label: string): void {
  if (bytes > MMS_IMAGE_MAX_BYTES) {
    throw invalid(label, `is ${kb(bytes)}; an MMS image may be at most ${kb(MMS_IMAGE_MAX_BYTES)}`);
  }
}

/** The count and total-size rules over a request's images (each checked by checkImage). */
export function checkImageSet(sizes: readonly number[], field: string): void {
  if (sizes.length > MMS_MAX_IMAGES) {
    throw new HeraldError(
      'HERALD_IMAGE_INVALID',
      `${field} has ${sizes.length} images; an MMS takes at most ${MMS_MAX_IMAGES}`,
      { field },
    );
  }
  const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
  if (total > MMS_IMAGES_TOTAL_MAX_BYTES) {
    throw new HeraldError(
      'HERALD_IMAGE_INVALID',
      `${field} are ${kb(total)} together; an MMS's images may be at most ${kb(MMS_IMAGES_TOTAL_MAX_BYTES)} in all`,
      { field },
    );
  }
}

/**
 * The file name a vendor is given: the client's (its last path segment) when it is a plain name
 * ending .jpg/.jpeg of at most 40 characters, else `image-<n>.jpg`. Vendors show it nowhere to the
 * recipient; it only has to pass their checks.
 */
export function imageFileName(given: string | undefined, position: number): string {
  const name = given?.split(/[\\/]/).pop() ?? '';
  return /^[A-Za-z0-9._-]{1,36}\.jpe?g$/i.test(name) && name.length <= MMS_FILE_NAME_MAX
    ? name
    : `image-${position + 1}.jpg`;
}

/** Bytes as the limits are written (KB = 1024 bytes), exact when not a whole number. */
export function kb(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)`;
}

function invalid(label: string, problem: string, cause?: unknown): HeraldError {
  return new HeraldError('HERALD_IMAGE_INVALID', `${label} ${problem}`, { field: label, cause });
}
