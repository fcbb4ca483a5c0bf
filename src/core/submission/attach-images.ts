import type { MediaStore } from '../../ports/media-store.ts';
import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { ImageRef } from '../domain/message.ts';
import type { ImageSources } from '../media/collect-images.ts';
import { collectImages } from '../media/collect-images.ts';
import { MMS_MAX_IMAGES } from '../media/image-rules.ts';
import type { SubmissionRequest } from './submission-types.ts';

/** How long an image outlives the last message that carries it: a day past that message's expiry. */
export const IMAGE_KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** The channels that carry images: all three go as MMS when the request has one. */
const IMAGE_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'lms', 'mms']);

/** What attaching images needs: the client's hosts, a fetcher, and the store the workers read. */
export interface ImageContext extends ImageSources {
  readonly media: Pick<MediaStore, 'put'>;
}

/**
 * The channel a request is sent on, given its images, decided before its text is checked (an MMS
 * has LMS's limits, an SMS has far smaller ones):
 * - images on sms or lms: the message is an MMS (the text then has MMS's limits);
 * - mms without an image: 400 HERALD_MMS_IMAGE_REQUIRED, or lms when the request says
 *   `mms.allowLmsWithoutImage` (the vendors would send it as LMS silently, SENS says so; herald
 *   makes the client choose, and history then shows what was sent);
 * - images on any other channel: 400 HERALD_VALIDATION_FAILED.
 * Also refuses more than 3 images here, before a single one is fetched.
 */
export function imageChannelOf(request: SubmissionRequest): Channel {
  const count = request.content?.images?.length ?? 0;
  if (count === 0) {
    if (request.channel !== 'mms') return request.channel;
    if (request.mms?.allowLmsWithoutImage === true) return 'lms';
    throw new HeraldError(
      'HERALD_MMS_IMAGE_REQUIRED',
      'an mms needs at least one image in content.images; send it as lms, or set mms.allowLmsWithoutImage',
      { field: 'content.images' },
    );
  }
  if (!IMAGE_CHANNELS.has(request.channel)) {
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      `content.images is for sms, lms and mms (sent as mms), not ${request.channel}`,
      { field: 'content.images' },
    );
  }
  if (count > MMS_MAX_IMAGES) {
    throw new HeraldError(
      'HERALD_IMAGE_INVALID',
      `content.images has ${count} images; an MMS takes at most ${MMS_MAX_IMAGES}`,
      { field: 'content.images' },
    );
  }
  return 'mms';
}

/**
 * Collects, checks and stores the request's images; returns the references its envelopes carry.
 * Stored before any message is recorded or queued, so a worker never meets a reference to bytes
 * that are not there; kept until a day past the messages' expiry (a retry or a night-deferred ad
 * still finds them). A request refused after this leaves images behind for the purge, harmlessly.
 */
export async function attachImages(
  context: ImageContext | undefined,
  request: SubmissionRequest,
  expiresAt: number,
): Promise<ImageRef[]> {
  const inputs = request.content?.images ?? [];
  if (inputs.length === 0) return [];
  if (!context) {
    throw new HeraldError('HERALD_UNAVAILABLE', 'this herald process has no media store for MMS images', {
      retryable: true,
    });
  }
  const images = await collectImages(request.clientId, inputs, context);
  await context.media.put(
    images.map(({ sha256, content }) => ({ sha256, content })),
    expiresAt + IMAGE_KEEP_AFTER_EXPIRY_MS,
  );
  return images.map(({ sha256, fileName, content }) => ({ sha256, fileName, bytes: content.length }));
}
