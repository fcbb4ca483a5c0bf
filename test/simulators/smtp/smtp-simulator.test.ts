import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTransport } from 'nodemailer';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { smtpReplyOf } from '../../../src/simulators/smtp/smtp-replies.ts';

const account = { user: 'herald-test', password: 'pw-0123456789' };

/** The simulator's SMTP server seen from a plain nodemailer client (not herald's adapter). */
describe('simulator SMTP server', () => {
  let sim: SimulatorServer;
  before(async () => {
    sim = await startSimulatorServer({ vendors: { smtp: {}, 'sim-email': {} }, smtpTrust: account });
  });
  after(() => sim.close());

  const client = (auth = account) =>
    createTransport({
      host: sim.smtp!.host,
      port: sim.smtp!.port,
      ignoreTLS: true,
      auth: { user: auth.user, pass: auth.password },
    });
  const mail = (messageId: string | undefined) => ({
    from: 'a@herald.test',
    to: 'b@example.com',
    subject: 's',
    text: 't',
    ...(messageId === undefined ? {} : { messageId }),
  });

  it('listens on a port of its own and counts a message by the id in its Message-ID', async () => {
    assert.notEqual(sim.smtp!.port, sim.port);
    const id = randomUUID();
    const transport = client();
    await transport.sendMail(mail(`<${id}@herald.local>`));
    transport.close();
    assert.equal(sim.countFor('smtp', id), 1);
    assert.equal(sim.stats().vendors.smtp?.calls, 1);
  });

  it('refuses AUTH with another password (535) and counts nothing', async () => {
    const transport = client({ ...account, password: 'wrong' });
    const error = (await transport
      .sendMail(mail(`<${randomUUID()}@herald.local>`))
      .catch((e: unknown) => e)) as {
      responseCode?: number;
    };
    transport.close();
    assert.equal(error.responseCode, 535);
  });

  it('refuses a message whose Message-ID is not <id@domain> (554)', async () => {
    const transport = client();
    const error = (await transport.sendMail(mail('<no-at-sign>')).catch((e: unknown) => e)) as {
      responseCode?: number;
    };
    transport.close();
    assert.equal(error.responseCode, 554);
  });

  it('answers a vendor error with its SMTP reply', () => {
    assert.deepEqual(smtpReplyOf({ status: 400, code: '550 5.1.1', weight: 1 }), {
      responseCode: 550,
      message: '5.1.1 Simulated refusal',
    });
    assert.equal(smtpReplyOf({ status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 }).responseCode, 451);
    assert.equal(smtpReplyOf({ status: 400, code: 'INVALID_RECIPIENT', weight: 1 }).responseCode, 554);
  });

  it('runs no SMTP server when vendor smtp is not hosted', async () => {
    const other = await startSimulatorServer({ vendors: { 'sim-email': {} } });
    try {
      assert.equal(other.smtp, undefined);
    } finally {
      await other.close();
    }
  });
});
