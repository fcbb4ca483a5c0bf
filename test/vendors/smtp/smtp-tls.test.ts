import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { ReceivedMail } from '../../../src/simulators/smtp/smtp-simulator.ts';
import { smtpFactory } from '../../../src/vendors/smtp/smtp-factory.ts';
import { emailMessage, SMTP_VENDOR_ID, smtpAccount, smtpVendorAt } from './smtp-test-kit.ts';

/**
 * The smtp adapter over TLS, both ways a relay offers it, against the simulator's SMTP server
 * serving a certificate made for this test (openssl: a CA, and the relay's certificate for
 * 127.0.0.1 signed by it). The adapter trusts the relay by that CA only (`ca`, what the factory
 * loads from the definition's `tlsCa` file), never by
 * turning verification off; a relay whose certificate does not chain to it is refused.
 */
let dir: string;
const files = { caKey: '', ca: '', key: '', cert: '', otherCa: '' };

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

function makeCa(name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
    '-keyout',
    key,
    '-out',
    cert,
  );
  return { key, cert };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-smtp-tls-'));
  const ca = makeCa('herald-test-ca');
  files.caKey = ca.key;
  files.ca = ca.cert;
  files.otherCa = makeCa('some-other-ca').cert;
  files.key = join(dir, 'relay.key');
  const csr = join(dir, 'relay.csr');
  files.cert = join(dir, 'relay.pem');
  const ext = join(dir, 'relay.ext');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`]);
  openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    files.key,
    '-out',
    csr,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    ext,
    '-out',
    files.cert,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const mode of ['starttls', 'implicit'] as const) {
  describe(`smtp adapter over TLS: ${mode}`, () => {
    let sim: SimulatorServer;
    const account = smtpAccount();
    const received: ReceivedMail[] = [];
    before(async () => {
      sim = await startSimulatorServer({
        vendors: { [SMTP_VENDOR_ID]: {} },
        smtpTrust: account,
        smtpTls: { mode, key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8') },
      });
      sim.smtp!.onMail((mail) => received.push(mail));
    });
    after(() => sim.close());

    it('delivers over TLS, trusting the relay by the CA given', async () => {
      const vendor = smtpVendorAt(sim, account, { security: mode, ca: readFileSync(files.ca, 'utf8') });
      try {
        const message = emailMessage();
        await vendor.send(message, AbortSignal.timeout(10_000));
        const mail = received.find((r) => r.messageId === message.messageId);
        assert.ok(mail, 'the relay received the message');
        assert.equal(mail.mail.subject, message.subject);
        assert.equal(sim.countFor(SMTP_VENDOR_ID, message.messageId), 1);
      } finally {
        await vendor.close();
      }
    });

    it('is built from a definition that names the CA file (tlsCa), as a real relay is', async () => {
      const build = smtpFactory(
        {
          id: 'relay',
          channels: ['email'],
          settings: {
            kind: 'smtp',
            timeoutMs: 5_000,
            breakerThreshold: 5,
            breakerHalfOpenAfterMs: 10_000,
            host: '127.0.0.1',
            port: sim.smtp!.port,
            tls: mode,
            user: account.user,
            credentials: { env: 'RELAY_PASSWORD' },
            tlsCa: { file: files.ca },
          },
        },
        {
          simulatorUrl: undefined,
          simulatorCredentials: undefined,
          secrets: {
            readFile: (path) => readFileSync(path, 'utf8'),
            env: { RELAY_PASSWORD: account.password },
          },
        },
      );
      const vendor = build();
      try {
        const message = emailMessage();
        await vendor.send(message, AbortSignal.timeout(10_000));
        assert.equal(sim.countFor(SMTP_VENDOR_ID, message.messageId), 1);
      } finally {
        await vendor.close();
      }
    });

    it('refuses a relay whose certificate does not chain to the CA: retryable (fails over), code TLS_CERTIFICATE', async () => {
      const vendor = smtpVendorAt(sim, account, { security: mode, ca: readFileSync(files.otherCa, 'utf8') });
      try {
        const message = emailMessage();
        await assert.rejects(vendor.send(message, AbortSignal.timeout(10_000)), (error: HeraldError) => {
          assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
          assert.equal(error.vendorCode, 'TLS_CERTIFICATE');
          assert.equal(error.retryable, true);
          assert.equal(error.vendorFault, true);
          assert.match(error.message, /certificate/);
          return true;
        });
        assert.equal(sim.countFor(SMTP_VENDOR_ID, message.messageId), 0, 'nothing was sent');
      } finally {
        await vendor.close();
      }
    });

    if (mode === 'starttls') {
      it('never sends AUTH or mail in clear when STARTTLS is required and the relay is plain', async () => {
        const plain = await startSimulatorServer({ vendors: { [SMTP_VENDOR_ID]: {} }, smtpTrust: account });
        const vendor = smtpVendorAt(plain, account, {
          security: 'starttls',
          ca: readFileSync(files.ca, 'utf8'),
        });
        try {
          const message = emailMessage();
          await assert.rejects(vendor.send(message, AbortSignal.timeout(10_000)));
          assert.equal(plain.countFor(SMTP_VENDOR_ID, message.messageId), 0);
        } finally {
          await vendor.close();
          await plain.close();
        }
      });
    }
  });
}
