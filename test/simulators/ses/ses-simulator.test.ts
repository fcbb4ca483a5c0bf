import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ensureSesCredentials } from '../../../src/simulators/ses/ses-credentials.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { SES_VENDOR_ID, sesKey, startSesSimulator } from '../../vendors/ses/ses-test-kit.ts';

/** The simulator's SES v2 API, called by the SDK directly (no herald adapter) and by hand. */
describe('SES simulator', () => {
  const key = sesKey();
  let sim: SimulatorServer;
  let client: SESv2Client;
  before(async () => {
    sim = await startSesSimulator(key);
    client = new SESv2Client({
      region: key.region,
      endpoint: `${sim.url}/${SES_VENDOR_ID}`,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await sim.close();
  });

  const email = (tags: { Name: string; Value: string }[]) =>
    new SendEmailCommand({
      FromEmailAddress: 'no-reply@herald.test',
      Destination: { ToAddresses: ['kim@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
      EmailTags: tags,
    });

  it('answers a signed SendEmail with a MessageId and counts it by the herald-message-id tag', async () => {
    const output = await client.send(email([{ Name: 'herald-message-id', Value: 'm-1' }]));
    assert.match(output.MessageId ?? '', /^010[0-9a-f]{13}-[0-9a-f-]{36}-000000$/);
    assert.equal(sim.countFor(SES_VENDOR_ID, 'm-1'), 1);
  });

  it('refuses a SendEmail without the tag as SES refuses a bad request', async () => {
    const error = await client.send(email([])).then(
      () => assert.fail('should be refused'),
      (cause: unknown) => cause as { name: string; $metadata: { httpStatusCode: number } },
    );
    assert.equal(error.name, 'BadRequestException');
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  it('refuses an unsigned call, and one signed for another region', async () => {
    const unsigned = await fetch(`${sim.url}/ses/v2/email/outbound-emails`, { method: 'POST', body: '{}' });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    await unsigned.body?.cancel();
    const elsewhere = new SESv2Client({
      region: 'us-west-2',
      endpoint: `${sim.url}/${SES_VENDOR_ID}`,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const error = await elsewhere.send(email([{ Name: 'herald-message-id', Value: 'm-2' }])).then(
        () => assert.fail('should be refused'),
        (cause: unknown) => cause as { name: string },
      );
      assert.equal(error.name, 'InvalidSignatureException');
      assert.equal(sim.countFor(SES_VENDOR_ID, 'm-2'), 0);
    } finally {
      elsewhere.destroy();
    }
  });

  it('generates its access key once, 0600, shaped as IAM issues them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-ses-'));
    try {
      const first = ensureSesCredentials(join(dir, 'creds'));
      assert.match(first.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(first.secretAccessKey.length, 40);
      assert.equal(statSync(first.file).mode & 0o777, 0o600);
      assert.deepEqual(ensureSesCredentials(join(dir, 'creds')), first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
