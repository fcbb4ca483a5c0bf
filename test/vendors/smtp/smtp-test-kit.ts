import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { SMTP_SIMULATOR_VENDOR, type SmtpTrust } from '../../../src/simulators/smtp/smtp-credentials.ts';
import type { ReceivedMail } from '../../../src/simulators/smtp/smtp-simulator.ts';
import { createSmtpVendor, type SmtpVendorOptions } from '../../../src/vendors/smtp/smtp-vendor.ts';

export const SMTP_VENDOR_ID = SMTP_SIMULATOR_VENDOR;

/** A fresh account, as ensureSmtpCredentials would generate. */
export function smtpAccount(): SmtpTrust {
  return { user: `herald-${randomUUID().slice(0, 8)}`, password: randomUUID() };
}

/** The simulator hosting only the SMTP vendor, trusting `account`. */
export function startSmtpSimulator(account: SmtpTrust): Promise<SimulatorServer> {
  return startSimulatorServer({ vendors: { [SMTP_VENDOR_ID]: {} }, smtpTrust: account });
}

/** The adapter pointed at the simulator's SMTP port, plain on loopback, with `account`. */
export function smtpVendorAt(
  sim: SimulatorServer,
  account: SmtpTrust,
  options: Partial<SmtpVendorOptions> = {},
): ReturnType<typeof createSmtpVendor> {
  const smtp = sim.smtp;
  if (smtp === undefined) throw new Error('the simulator runs no SMTP server');
  return createSmtpVendor({
    id: SMTP_VENDOR_ID,
    host: smtp.host,
    port: smtp.port,
    security: 'none',
    auth: { user: account.user, password: account.password },
    from: 'herald <no-reply@herald.test>',
    messageIdDomain: 'herald.test',
    ...options,
  });
}

/** An e-mail with a fresh message id. */
export function emailMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: messageId,
    channel: 'email',
    to: `user-${messageId.slice(0, 8)}@example.com`,
    subject: 'Your order',
    body: 'Hello,\nyour order is on its way.',
    attempt: 1,
    ...overrides,
  };
}

/**
 * The line of a header as the relay received it, unfolded (RFC 5322 §2.2.3: remove each CRLF that
 * precedes white space); mailparser merges the List-* headers into one parsed `list` otherwise.
 */
export function headerLine(mail: ReceivedMail, key: string): string | undefined {
  return mail.mail.headerLines.find((line) => line.key === key)?.line.replace(/\r\n(?=[ \t])/g, '');
}

/** A relay (the simulator's SMTP server) and the adapter at it, for a describe's tests, and the mail it received. */
export interface SmtpRelay {
  readonly sim: SimulatorServer;
  readonly vendor: Vendor;
  readonly received: ReceivedMail[];
}

/**
 * Starts the relay and the adapter (with `options`, e.g. dkim) before the calling describe's tests
 * and closes them after.
 */
export function useSmtpRelay(options: Partial<SmtpVendorOptions> = {}): SmtpRelay {
  const relay = { received: [] as ReceivedMail[] } as {
    sim: SimulatorServer;
    vendor: Vendor;
    received: ReceivedMail[];
  };
  before(async () => {
    const account = smtpAccount();
    relay.sim = await startSmtpSimulator(account);
    relay.sim.smtp!.onMail((mail) => relay.received.push(mail));
    relay.vendor = smtpVendorAt(relay.sim, account, options);
  });
  after(async () => {
    await relay.vendor.close();
    await relay.sim.close();
  });
  return relay;
}
