import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import type { Channel } from '../../core/domain/channel.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { mapSmtpError } from './smtp-errors.ts';
import { DEFAULT_MESSAGE_ID_DOMAIN, smtpMailOf } from './smtp-mail.ts';

/**
 * How the connection is secured: STARTTLS required (a plain connection upgraded, port 587), TLS
 * from the first byte (465), or `none`: plain, for the simulator on loopback only (the factory
 * never picks it for a real relay).
 */
export type SmtpConnectionSecurity = 'starttls' | 'implicit' | 'none';

export interface SmtpVendorOptions {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly security: SmtpConnectionSecurity;
  /** AUTH (PLAIN or LOGIN, as the relay offers); absent: no AUTH. */
  readonly auth?: { readonly user: string; readonly password: string };
  readonly from: string;
  readonly messageIdDomain?: string;
  readonly channels?: readonly Channel[];
  /** Connections of the pool (nodemailer default 5). */
  readonly maxConnections?: number;
  /** Connect and greeting time limit, ms (the call's own time limit still applies). */
  readonly connectTimeoutMs?: number;
  /** Tests with a self-signed relay certificate; never false in production. */
  readonly rejectUnauthorized?: boolean;
  /**
   * The CA certificates (PEM) the relay's certificate must chain to, instead of Node's bundled
   * roots (a private relay with its own CA, the simulator's test certificate): the definition's
   * `tlsCa` file, loaded by the factory. The host name is still checked.
   */
  readonly ca?: string;
  /** DKIM-sign every message (nodemailer's signer, rsa-sha256, relaxed/relaxed); absent: unsigned. */
  readonly dkim?: SmtpDkimOptions;
}

/** The signing domain (d=), the selector (s=) whose TXT record publishes the public key, and the key. */
export interface SmtpDkimOptions {
  readonly domainName: string;
  readonly keySelector: string;
  /** The private key, PEM. */
  readonly privateKey: string;
}

/**
 * The `smtp` vendor: a pool of SMTP connections to one relay (nodemailer's pooled transport),
 * each kept open across messages. A message is one SMTP transaction (MAIL FROM, RCPT TO, DATA);
 * the caller's signal cancels it by closing the connection it is on, so a relay that stalls costs
 * one connection, never the pool. A connection that died idle is noticed by nodemailer and the
 * message goes on another (once: `maxRequeues`); SMTP has no idempotency key, so a connection lost
 * after the final dot may still have delivered, like any vendor call cut in flight.
 */
export function createSmtpVendor(options: SmtpVendorOptions): Vendor {
  const { id, security } = options;
  const transport = createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: security === 'implicit',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.password } } : {}),
    maxConnections: options.maxConnections ?? 5,
    maxRequeues: 1,
    connectionTimeout: options.connectTimeoutMs ?? 10_000,
    greetingTimeout: options.connectTimeoutMs ?? 10_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    tls: {
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      // SNI carries host names only (RFC 6066); an IP address is checked against the certificate's IP SANs.
      ...(isIP(options.host) === 0 && { servername: options.host }),
      ...(options.ca !== undefined && { ca: options.ca }),
    },
    ...(options.dkim
      ? {
          dkim: {
            domainName: options.dkim.domainName,
            keySelector: options.dkim.keySelector,
            privateKey: options.dkim.privateKey,
          },
        }
      : {}),
  });
  const defaults = {
    from: options.from,
    messageIdDomain: options.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN,
  };
  let closed = false;
  return {
    id,
    channels: options.channels ?? ['email'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const mail = smtpMailOf(message, defaults);
      try {
        signal.throwIfAborted();
        const info = await transport.sendMail({ ...mail, signal });
        return { vendorMessageId: info.messageId };
      } catch (error) {
        throw mapSmtpError(id, error, signal, closed);
      }
    },
    async close(): Promise<void> {
      closed = true;
      transport.close();
    },
  };
}
