import { type ClientHttp2Session, connect } from 'node:http2';

/**
 * connecting: waiting for the peer's SETTINGS; ready: takes streams up to maxStreams;
 * draining: the peer sent GOAWAY (or we are closing): no new streams, open ones finish;
 * dead: closed or destroyed.
 */
export type PooledSessionState = 'connecting' | 'ready' | 'draining' | 'dead';

/**
 * Streams a session is assumed to allow before the peer's SETTINGS arrive (FCM's 100, which
 * firebase-admin assumes too), and what the pool counts on when deciding to open another session.
 */
export const ASSUMED_MAX_STREAMS = 100;
/** A peer that sets no limit (RFC 9113: unlimited) still gets no more than this on one session. */
const STREAMS_CAP = 1_000;

/**
 * One HTTP/2 connection of the pool and what the pool needs to know of it: its state, how many
 * streams it carries, and how many the peer allows (SETTINGS_MAX_CONCURRENT_STREAMS, followed
 * live). Tells the pool of every change through `onChange`.
 */
export class PooledSession {
  readonly session: ClientHttp2Session;
  state: PooledSessionState = 'connecting';
  /** Streams open on it (reserved by the pool before the request is made). */
  active = 0;
  maxStreams = ASSUMED_MAX_STREAMS;
  /** Whether it ever became ready: a session that died before is a failed connect. */
  wasReady = false;
  /** The last error the session reported (ECONNREFUSED, ECONNRESET, a GOAWAY error...). */
  lastError: Error | undefined;
  #pingOutstanding = false;

  constructor(origin: string, onChange: (session: PooledSession) => void) {
    this.session = connect(origin, {
      peerMaxConcurrentStreams: ASSUMED_MAX_STREAMS,
      settings: { enablePush: false },
    });
    this.session.on('remoteSettings', (settings) => {
      this.maxStreams = Math.min(settings.maxConcurrentStreams ?? STREAMS_CAP, STREAMS_CAP);
      if (this.state === 'connecting') {
        this.state = 'ready';
        this.wasReady = true;
      }
      onChange(this);
    });
    // node:http2 closes the session itself on a GOAWAY (gracefully for NO_ERROR, at once otherwise).
    this.session.on('goaway', () => {
      if (this.state !== 'dead') this.state = 'draining';
      onChange(this);
    });
    this.session.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.session.once('close', () => {
      this.state = 'dead';
      onChange(this);
    });
  }

  get hasCapacity(): boolean {
    return this.state === 'ready' && this.active < this.maxStreams && !this.session.closed;
  }

  /**
   * Keep-alive for an idle session: a PING every tick; one still unanswered at the next tick means
   * the connection is dead (a silent peer, a dropped NAT entry), so it is destroyed before a call
   * is put on it. Busy sessions need none: their streams show whether the peer is alive.
   */
  keepAlive(): void {
    if (this.state !== 'ready') return;
    if (this.#pingOutstanding) {
      this.session.destroy(new Error('The peer did not answer a keep-alive PING'));
      return;
    }
    if (this.active > 0) return;
    this.#pingOutstanding = true;
    this.session.ping(() => {
      this.#pingOutstanding = false;
    });
  }

  /** Takes no new streams; the open ones finish, then the connection closes. */
  drain(): void {
    if (this.state === 'dead') return;
    this.state = 'draining';
    this.session.close();
  }
}
