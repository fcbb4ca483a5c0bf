import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { ReceiveCounter } from '../receive-counter.ts';
import type { SimulatedVendor } from '../simulated-vendor.ts';
import type { SmtpTrust } from './smtp-credentials.ts';
import { refusalOf, type SmtpReply } from './smtp-replies.ts';

export interface SmtpSimulatorOptions {
  readonly host: string;
  /** 0: any free port (read it back from `port`). */
  readonly port: number;
  /** The account AUTH must give; absent: every AUTH is refused (535). */
  readonly trust: SmtpTrust | undefined;
  /** The simulated vendor whose behaviour (errors, latency, hangs, rate limit) each message meets. */
  readonly vendor: SimulatedVendor;
  readonly counter: ReceiveCounter;
  /** Aborted when the simulator closes: waits in progress end. */
  readonly shutdown: AbortSignal;
  /** Serve TLS with this certificate; absent: plain SMTP (loopback), STARTTLS not offered. */
  readonly tls?: SmtpServerTls;
}

/**
 * TLS of the simulated relay, as a real one offers it: `starttls` (port 587: plain greeting,
 * STARTTLS offered, AUTH only after it) or `implicit` (port 465: TLS from the first byte). The
 * certificate (PEM) is the test's or the operator's own; the client trusts it by its CA.
 */
export interface SmtpServerTls {
  readonly mode: 'starttls' | 'implicit';
  readonly key: string;
  readonly cert: string;
}

/** Every message the relay accepted, parsed, with herald's message id read from its Message-ID. */
export interface ReceivedMail {
  readonly messageId: string;
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly mail: ParsedMail;
  /** The message as received after DATA (dot-unstuffed, CRLF line ends): what a signature covers. */
  readonly raw: Buffer;
}

export type MailListener = (received: ReceivedMail) => void;

/** The simulator's SMTP relay, on a port of its own. */
export interface SmtpSimulator {
  readonly host: string;
  readonly port: number;
  /** e.g. smtp://127.0.0.1:41235 */
  readonly url: string;
  /** Calls `listener` with each accepted message (tests read headers and parts); returns unsubscribe. */
  onMail(listener: MailListener): () => void;
  /** Cuts every SMTP connection now; returns how many there were. */
  dropConnections(): number;
  /** SMTP connections accepted since start. */
  connectionsOpened(): number;
  close(): Promise<void>;
}

const MESSAGE_ID = /^<([^<>@\s]+)@[^<>@\s]+>$/;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * An SMTP relay (smtp-server) that requires AUTH with the generated account (PLAIN or LOGIN; plain
 * text is fine on loopback, so no STARTTLS unless `tls` is given: then STARTTLS or implicit TLS with
 * that certificate, and AUTH only over TLS), reads each message with mailparser, refuses one whose
 * Message-ID is not `<id@domain>` (554 5.6.0: herald always sets it), and counts it under the
 * vendor's id by that id. Before answering DATA it applies the vendor's behaviour: a throttled call
 * gets 451 4.7.500, an error its SMTP reply (smtp-replies.ts), a hang no answer until the client
 * closes the connection (counted as a hang-up), and the latency a wait before the 250.
 */
export async function startSmtpSimulator(options: SmtpSimulatorOptions): Promise<SmtpSimulator> {
  const { vendor, counter, shutdown } = options;
  const listeners = new Set<MailListener>();
  const hung = new Set<string>();
  let opened = 0;
  const { tls } = options;
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    ...(tls
      ? { key: tls.key, cert: tls.cert, secure: tls.mode === 'implicit', allowInsecureAuth: false }
      : { allowInsecureAuth: true, disabledCommands: ['STARTTLS'] }),
    hideENHANCEDSTATUSCODES: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      opened += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (
        options.trust &&
        auth.username !== undefined &&
        sameAccount(options.trust, auth.username, auth.password)
      ) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError({ responseCode: 535, message: '5.7.8 Authentication credentials invalid' }));
      }
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (reply) => {
          if (reply === 'hang') hung.add(session.id);
          else if (reply === undefined) callback(null, '2.6.0 Message accepted');
          else callback(smtpError(reply));
        },
        () => callback(smtpError({ responseCode: 421, message: '4.3.2 Shutting down' })),
      );
    },
    onClose(session) {
      if (hung.delete(session.id)) counter.recordHangUp(vendor.id);
    },
  });

  async function receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<SmtpReply | 'hang' | undefined> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded) return { responseCode: 552, message: '5.3.4 Message too big' };
    const mail = await simpleParser(raw);
    const messageId = mail.messageId?.match(MESSAGE_ID)?.[1];
    if (messageId === undefined)
      return { responseCode: 554, message: '5.6.0 Message-ID missing or not <id@domain>' };
    const outcome = await vendor.handle({ messageId, idempotencyKey: undefined }, shutdown);
    if (outcome.kind === 'hang') return 'hang';
    const refusal = refusalOf(outcome);
    if (refusal === undefined && listeners.size > 0) {
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      };
      for (const listener of listeners) listener({ messageId, envelope, mail, raw });
    }
    return refusal;
  }

  // A client that drops a connection (a TLS handshake it refused, a hang-up) is the client's
  // business: smtp-server reports it as an 'error' event, which must not crash the simulator.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    url: `smtp://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    onMail(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dropConnections() {
      const open = server.connections.size;
      for (const connection of server.connections) connection.close();
      return open;
    },
    connectionsOpened: () => opened,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of server.connections) connection.close();
      });
      return closing;
    },
  };
}

/** The DATA stream's bytes (keeping none past the size limit: smtp-server flags that with sizeExceeded). */
async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (size + chunk.length > MAX_MESSAGE_BYTES) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks, size);
}

function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.responseCode });
}

function sameAccount(trust: SmtpTrust, user: string, password: string | null | undefined): boolean {
  const given = Buffer.from(`${user}\n${password ?? ''}`);
  const expected = Buffer.from(`${trust.user}\n${trust.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
