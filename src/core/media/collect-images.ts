import { createHash } from 'node:crypto';
import type { ImageFetcher } from '../../ports/image-fetcher.ts';
import type { SenderRegistry } from '../../ports/sender-registry.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { OutboundImage } from '../domain/message.ts';
import type { ImageInput } from './image-input.ts';
import { checkImage, checkImageBytes, checkImageSet, imageFileName, MMS_MAX_IMAGES } from './image-rules.ts';

/** What collecting a request's images needs: the client's image hosts and a fetcher. */
export interface ImageSources {
  readonly imageHosts: Pick<SenderRegistry, 'listImageHosts'>;
  readonly fetcher: ImageFetcher;
}

const FIELD = 'content.images';
/** Standard base64 (RFC 4648 §4), line breaks allowed; Buffer.from would silently skip anything else. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL_PREFIX = /^data:image\/jpe?g;base64,/i;

/**
 * A request's images, as the vendors will get them: decoded or fetched, checked (image-rules.ts),
 * hashed. The count is checked before anything is fetched; each URL is fetched once per request
 * (the same URL twice costs one fetch), only when its host is one the client registered, the list
 * read once per request. Throws HERALD_IMAGE_INVALID (400) or HERALD_IMAGE_FETCH_FAILED (422),
 * naming the image (`content.images[i]`).
 */
export async function collectImages(
  clientId: string,
  inputs: readonly ImageInput[],
  sources: ImageSources,
  signal?: AbortSignal,
): Promise<OutboundImage[]> {
  checkImageSet(new Array(Math.min(inputs.length, MMS_MAX_IMAGES + 1)).fill(0), FIELD);
  const hosts = inputs.some((input) => 'url' in input)
    ? new Set(await sources.imageHosts.listImageHosts(clientId))
    : new Set<string>();
  const fetches = new Map<string, Promise<Uint8Array>>();
  const images: OutboundImage[] = [];
  for (const [position, input] of inputs.entries()) {
    const label = `${FIELD}[${position}]`;
    const content =
      'url' in input
        ? await fetchOnce(label, input.url, { hosts, fetches, fetcher: sources.fetcher, signal })
        : decodeBase64(label, input.base64);
    checkImage(content, label);
    images.push({
      sha256: createHash('sha256').update(content).digest('hex'),
      fileName: imageFileName(
        input.fileName ?? ('url' in input ? lastSegment(input.url) : undefined),
        position,
      ),
      content,
    });
  }
  checkImageSet(
    images.map((image) => image.content.length),
    FIELD,
  );
  return images;
}

function decodeBase64(label: string, text: string): Uint8Array {
  const compact = text.replace(DATA_URL_PREFIX, '').replace(/[\r\n]/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new HeraldError('HERALD_IMAGE_INVALID', `${label}.base64 is not valid base64`, {
      field: `${label}.base64`,
    });
  }
  // Refused before decoding what is over the limit anyway.
  checkImageBytes((compact.length / 4) * 3 - (compact.match(/=+$/)?.[0].length ?? 0), label);
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

interface FetchScope {
  readonly hosts: ReadonlySet<string>;
  readonly fetches: Map<string, Promise<Uint8Array>>;
  readonly fetcher: ImageFetcher;
  readonly signal: AbortSignal | undefined;
}

async function fetchOnce(label: string, text: string, scope: FetchScope): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fetchFailed(label, 'is not a URL');
  }
  if (url.protocol !== 'https:') throw fetchFailed(label, 'is not an https URL; herald fetches https only');
  if (url.username !== '' || url.password !== '')
    throw fetchFailed(label, 'carries credentials; give a plain URL');
  const host = url.hostname.toLowerCase();
  if (!scope.hosts.has(host)) {
    throw fetchFailed(
      label,
      `points at ${host}, which is not one of your image hosts (register it with PUT /v1/image-hosts)`,
    );
  }
  url.hash = '';
  let fetching = scope.fetches.get(url.href);
  if (!fetching) {
    fetching = scope.fetcher.fetchImage(url, scope.signal);
    scope.fetches.set(url.href, fetching);
  }
  try {
    return await fetching;
  } catch (error) {
    // The path and query are not echoed: a signed URL's query is a credential.
    const reason = isHeraldError(error) ? error.message : 'the fetch failed';
    throw fetchFailed(label, `could not be fetched from ${host}: ${reason}`, error);
  }
}

function fetchFailed(label: string, problem: string, cause?: unknown): HeraldError {
  return new HeraldError('HERALD_IMAGE_FETCH_FAILED', `${label}.url ${problem}`, {
    field: `${label}.url`,
    cause,
  });
}

function lastSegment(text: string): string | undefined {
  try {
    return decodeURIComponent(new URL(text).pathname.split('/').pop() ?? '') || undefined;
  } catch {
    return undefined;
  }
}
