/**
 * A request URL as it may be logged or echoed: without its query string. herald takes no secrets in
 * query strings, but a client may put its API key there by mistake (`?api_key=...`), and a log is
 * the last place it should end up. Names of the parameters go too: a bare `?hk_...` is a key.
 */
export function withoutQueryString(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : `${url.slice(0, query)}?[redacted]`;
}
