import {
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Socket } from 'node:net';

/** SETTINGS_MAX_CONCURRENT_STREAMS of fcm.googleapis.com (and what firebase-admin assumes). */
export const H2_MAX_CONCURRENT_STREAMS = 100;

/** What the HTTP/2 side of the simulator saw, for tests and benchmarks (`GET /_sim/h2/stats`). */
export interface H2Stats {
  /** Connections (sessions) opened since start or the last reset. */
  readonly sessionsOpened: number;
  readonly sessionsOpen: number;
  readonly streamsOpened: number;
  readonly streamsOpen: number;
  /** Most streams open at once over all sessions: a sender's requests in flight. */
  readonly peakConcurrentStreams: number;
  /** Most streams open at once on one session (never above H2_MAX_CONCURRENT_STREAMS). */
  readonly peakStreamsPerSession: number;
}

/** Handles one stream; `connection` is scratch state that lives as long as the stream's session. */
export type H2StreamHandler = (
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  connection: Map<string, unknown>,
) => void;

interface SessionState {
  open: number;
  readonly connection: Map<string, unknown>;
}

/**
 * The simulator's h2c server: takes connections the port's sniffer found to start with the HTTP/2
 * preface, advertises 100 concurrent streams as FCM does, and counts sessions and streams. It can
 * send a graceful GOAWAY on every session, as a Google front end does when it rotates.
 */
export class H2Endpoint {
  readonly #server: Http2Server;
  readonly #sessions = new Map<ServerHttp2Session, SessionState>();
  #sessionsOpened = 0;
  #streamsOpened = 0;
  #streamsOpen = 0;
  #peakConcurrent = 0;
  #peakPerSession = 0;

  constructor(handler: H2StreamHandler) {
    this.#server = createServer({
      settings: { maxConcurrentStreams: H2_MAX_CONCURRENT_STREAMS, enablePush: false },
    });
    this.#server.on('session', (session) => this.#track(session));
    this.#server.on('stream', (stream, headers) => {
      const state = this.#sessions.get(stream.session as ServerHttp2Session);
      if (state === undefined) {
        stream.close();
        return;
      }
      this.#opened(state);
      stream.once('close', () => {
        state.open -= 1;
        this.#streamsOpen -= 1;
      });
      // A client reset surfaces as an error on some codes; the handler sees it as 'close'.
      stream.on('error', () => {});
      handler(stream, headers, state.connection);
    });
  }

  /** Serves a socket whose first bytes (already read and unshifted) are the HTTP/2 preface. */
  accept(socket: Socket): void {
    this.#server.emit('connection', socket);
  }

  /**
   * Graceful GOAWAY on every session: last-stream-id is the last stream the server accepted, so
   * the streams a client sent after it are refused (REFUSED_STREAM, safe to retry elsewhere) and
   * the accepted ones are answered; each session closes when its last stream ends.
   * Returns how many sessions were told.
   */
  goAway(): number {
    let told = 0;
    for (const session of this.#sessions.keys()) {
      if (session.closed || session.destroyed) continue;
      // close() sends GOAWAY(NO_ERROR, last processed stream id) and ends the session when idle.
      session.close();
      told += 1;
    }
    return told;
  }

  stats(): H2Stats {
    return {
      sessionsOpened: this.#sessionsOpened,
      sessionsOpen: this.#sessions.size,
      streamsOpened: this.#streamsOpened,
      streamsOpen: this.#streamsOpen,
      peakConcurrentStreams: this.#peakConcurrent,
      peakStreamsPerSession: this.#peakPerSession,
    };
  }

  /** Zeroes the counts; the peaks restart from what is open now. */
  resetStats(): void {
    this.#sessionsOpened = 0;
    this.#streamsOpened = 0;
    this.#peakConcurrent = this.#streamsOpen;
    this.#peakPerSession = Math.max(0, ...[...this.#sessions.values()].map((state) => state.open));
  }

  /** Drops every session at once (simulator shutdown, a crashed front end); returns how many. */
  destroyAll(): number {
    const sessions = [...this.#sessions.keys()];
    for (const session of sessions) session.destroy();
    return sessions.length;
  }

  #track(session: ServerHttp2Session): void {
    this.#sessionsOpened += 1;
    this.#sessions.set(session, { open: 0, connection: new Map() });
    session.on('error', () => {});
    session.once('close', () => this.#sessions.delete(session));
  }

  #opened(state: SessionState): void {
    state.open += 1;
    this.#streamsOpened += 1;
    this.#streamsOpen += 1;
    if (this.#streamsOpen > this.#peakConcurrent) this.#peakConcurrent = this.#streamsOpen;
    if (state.open > this.#peakPerSession) this.#peakPerSession = state.open;
  }
}
