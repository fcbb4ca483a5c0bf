import { startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createApnsVendor } from '../../../src/vendors/apns/apns-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { apnsMessage, apnsTestCredentials } from './apns-test-kit.ts';

const MINUTE = 60_000;

describeVendorContract(
  'apns',
  { renewsCredentials: true, deviceTokens: true, sharedSecret: false },
  async () => {
    const credentials = apnsTestCredentials(['com.example.shop']);
    // One clock for both sides, so a test can age the provider token past its renewal.
    let offsetMs = 0;
    const now = (): number => Date.now() + offsetMs;
    const sim = await startSimulatorServer({
      vendors: { apns: {} },
      pushTrust: { apns: { apns: credentials.trust } },
      epochNow: now,
    });
    const vendor = createApnsVendor({
      id: 'apns',
      keyId: credentials.keyId,
      teamId: credentials.teamId,
      privateKeyPem: credentials.privateKeyPem,
      environment: 'sandbox',
      baseUrl: `${sim.url}/apns`,
      now,
    });
    return {
      vendor,
      sim,
      vendorId: 'apns',
      message: (token) => apnsMessage(token === undefined ? {} : { to: token }),
      errors: {
        permanent: { status: 400, code: 'TopicDisallowed', weight: 1 },
        unavailable: { status: 503, code: 'ServiceUnavailable', weight: 1 },
      },
      // An hour later, the token in use would be refused as ExpiredProviderToken: it must be renewed.
      renewal: {
        staleCredentials: () => {
          offsetMs += 61 * MINUTE;
        },
        credentialsIssued: () => sim.providerTokensAccepted('apns'),
      },
      deadRecipient: (message) => sim.markTokensDead('apns', [message.to]),
      connections: {
        drop: () => sim.dropConnections(),
        opened: () => sim.h2Stats().sessionsOpened,
        goAway: () => sim.goAway(),
      },
      cleanup: async () => {
        await vendor.close();
        await sim.close();
      },
    };
  },
);
