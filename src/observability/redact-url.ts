/**
 * A request URL as it may be logged or echoed: without its query string. herald takes no secrets in
 * query strings, but a client may put its API key there by mistake (`?api_key=...`), and a log is
 * the last place it should end up. Names of the parameters go too: a bare `?hk_...` is a key.
 */
export function withoutQueryString(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : `${url.slice(0, query)}?[redacted]`;
}

/**
 * The path segment after `devices/` is a push token (DELETE /v1/devices/:token). Matched in any
 * case and after any prefix, so a mistyped path (404) is redacted as well as the route.
 */
const DEVICE_TOKEN_SEGMENT = /(\/devices\/)[^/?#]+/gi;

/**
 * The path segment after `unsubscribe/` is an ad e-mail's opt-out token (POST /v1/unsubscribe/:token):
 * whoever holds it can opt that address out, so a log must not hand it on.
 */
const UNSUBSCRIBE_TOKEN_SEGMENT = /(\/unsubscribe\/)[^/?#]+/gi;

/** A request URL as the request log shows it: no query string, no device or opt-out token in the path. */
export function redactedUrl(url: string): string {
  return withoutQueryString(url)
    .replace(DEVICE_TOKEN_SEGMENT, '$1[redacted]')
    .replace(UNSUBSCRIBE_TOKEN_SEGMENT, '$1[redacted]');
}
