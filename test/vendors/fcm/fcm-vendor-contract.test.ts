import { startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createFcmVendor } from '../../../src/vendors/fcm/fcm-vendor.ts';
import { describeVendorContract } from '../../contracts/vendor.contract.ts';
import { pushMessage, testServiceAccount } from './fcm-test-kit.ts';

describeVendorContract(
  'fcm',
  { renewsCredentials: true, deviceTokens: true, sharedSecret: false },
  async () => {
    const { account, trust } = testServiceAccount();
    const sim = await startSimulatorServer({ vendors: { fcm: {} }, pushTrust: { fcm: { fcm: trust } } });
    const vendor = createFcmVendor({
      id: 'fcm',
      serviceAccount: account,
      baseUrl: `${sim.url}/fcm`,
      tokenUrl: `${sim.url}/oauth2/token`,
    });
    return {
      vendor,
      sim,
      vendorId: 'fcm',
      message: (token) => pushMessage(token === undefined ? {} : { to: token }),
      errors: {
        permanent: { status: 400, code: 'INVALID_ARGUMENT', weight: 1 },
        unavailable: { status: 503, code: 'UNAVAILABLE', weight: 1 },
      },
      renewal: {
        staleCredentials: () => sim.revokeAccessTokens('fcm'),
        credentialsIssued: () => sim.accessTokensIssued('fcm'),
      },
      deadRecipient: (message) => sim.markTokensDead('fcm', [message.to]),
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
