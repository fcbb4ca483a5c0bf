/**
 * Fetches an MMS image the client gave by URL. The caller (core/media/collect-images.ts) has
 * already checked the URL is https and its host one the client registered; the adapter owns the
 * network side of the SSRF guard: which addresses it connects to, redirects, size and time limits.
 * Throws HeraldError HERALD_IMAGE_FETCH_FAILED for anything that is not a complete 200 answer.
 */
export interface ImageFetcher {
  fetchImage(url: URL, signal?: AbortSignal): Promise<Uint8Array>;
}
