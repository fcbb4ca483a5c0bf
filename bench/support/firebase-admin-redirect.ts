import http2 from 'node:http2';

/**
 * Points firebase-admin's HTTP/2 `sendEach` at a local h2c server (the FCM simulator). The SDK has
 * no switch for it (the host is the constant fcm.googleapis.com, no emulator variable for FCM; see
 * ../shared/reference/vendor-contracts.md section 2), but its HTTP/2 path calls
 * `require('http2').connect(url, opts)` at send time (api-request.js, Http2SessionHandler), and
 * that `http2` object is the one `import http2 from 'node:http2'` gives us, so wrapping `connect`
 * here reaches it. On a session we open for it we rewrite, per request:
 * - `:scheme`: the SDK passes `url.protocol` through, `https:` with the colon (its TODO
 *   b/401051826); nghttp2 resets such a stream with PROTOCOL_ERROR. We send the target's scheme
 *   (`http` for h2c), which is what the SDK means.
 * - `:path`: the simulator picks the vendor by a path prefix (`/<vendorId>/v1/projects/...`).
 * Only connects to fcm.googleapis.com are redirected; any other origin (herald's own pool, were
 * it in the same process) goes to the real `connect` untouched. Everything else the SDK does
 * (one new session per sendEach call, 500 streams queued behind the peer's 100-stream limit,
 * its own error mapping, closing the session after the call) is left exactly as it is.
 */
export interface FirebaseAdminRedirectOptions {
  /** The h2c origin to send to, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly target: string;
  /** Prepended to every `:path`, e.g. `/fcm`; '' for none. */
  readonly pathPrefix: string;
  /** Called once per stream when it closes: ms from `request()` to close (queueing included). */
  readonly onStreamClosed?: (ms: number) => void;
}

export interface FirebaseAdminRedirect {
  /** HTTP/2 sessions firebase-admin opened through the redirect since it was installed. */
  sessionsOpened(): number;
  /** Puts the real `http2.connect` back. */
  restore(): void;
}

const FCM_HOST = 'fcm.googleapis.com';

type Connect = typeof http2.connect;

export function redirectFirebaseAdmin(options: FirebaseAdminRedirectOptions): FirebaseAdminRedirect {
  const original: Connect = http2.connect;
  const scheme = new URL(options.target).protocol.replace(/:$/, '');
  let sessions = 0;
  const wrapped = ((authority: string | URL, ...rest: unknown[]) => {
    if (new URL(String(authority)).host !== FCM_HOST) {
      return (original as (...args: unknown[]) => http2.ClientHttp2Session)(authority, ...rest);
    }
    sessions += 1;
    const session = (original as (...args: unknown[]) => http2.ClientHttp2Session)(options.target, ...rest);
    rewriteRequests(session, scheme, options);
    return session;
  }) as Connect;
  http2.connect = wrapped;
  return {
    sessionsOpened: () => sessions,
    restore() {
      if (http2.connect === wrapped) http2.connect = original;
    },
  };
}

function rewriteRequests(
  session: http2.ClientHttp2Session,
  scheme: string,
  options: FirebaseAdminRedirectOptions,
): void {
  const request = session.request.bind(session);
  session.request = ((
    headers: http2.OutgoingHttpHeaders = {},
    streamOptions?: http2.ClientSessionRequestOptions,
  ) => {
    const started = performance.now();
    const stream = request(
      { ...headers, ':scheme': scheme, ':path': `${options.pathPrefix}${String(headers[':path'] ?? '/')}` },
      streamOptions,
    );
    const onClosed = options.onStreamClosed;
    if (onClosed) stream.once('close', () => onClosed(performance.now() - started));
    return stream;
  }) as typeof session.request;
}
