import type { FleetDeployment, VendorDefinition } from '../../app/vendor-factory.ts';
import { sendsToSimulator, smtpPortOf } from '../../config/vendor-definitions.ts';
import {
  loadCaCertificates,
  loadDkimKey,
  loadSmtpPassword,
  VendorSecretError,
} from '../../config/vendor-secrets.ts';
import type { SmtpVendorSettings } from '../../core/domain/remote-config.ts';
import type { Vendor } from '../../ports/vendor.ts';
import { createSmtpVendor, type SmtpVendorOptions } from './smtp-vendor.ts';

/** From of the simulator's mail when the definition names none. */
const SIMULATOR_FROM = 'herald <no-reply@herald.local>';

/**
 * The `smtp` kind's VendorFactory: at the simulator, its SMTP port (plain, on loopback) and its
 * generated account; else the definition's relay, TLS mode (trusting the CA certificates `tlsCa`
 * names, when given), user and the password its credentials name, loaded once; with `dkim`, the signing key its privateKey names, loaded once too. Then one
 * pool per lane.
 */
export function smtpFactory(
  { id, settings, channels }: VendorDefinition,
  deployment: FleetDeployment,
): () => Vendor {
  if (settings.kind !== 'smtp') throw new Error(`vendor ${id} is not of kind smtp`);
  const connection = sendsToSimulator(settings)
    ? simulatorConnection(id, deployment)
    : relayConnection(id, settings, deployment);
  const options: SmtpVendorOptions = {
    id,
    channels,
    ...connection,
    from: settings.from ?? SIMULATOR_FROM,
    ...(settings.messageIdDomain ? { messageIdDomain: settings.messageIdDomain } : {}),
    ...(settings.dkim
      ? {
          dkim: {
            domainName: settings.dkim.domainName,
            keySelector: settings.dkim.keySelector,
            privateKey: loadDkimKey(id, settings.dkim.privateKey, deployment.secrets),
          },
        }
      : {}),
  };
  return () => createSmtpVendor(options);
}

type Connection = Pick<SmtpVendorOptions, 'host' | 'port' | 'security' | 'auth' | 'ca'>;

function simulatorConnection(id: string, deployment: FleetDeployment): Connection {
  const address = deployment.simulatorSmtp;
  if (address === undefined) {
    throw new VendorSecretError(id, 'its endpoint is the simulator, and no simulator SMTP server runs');
  }
  const account = deployment.simulatorCredentials?.smtp;
  if (account === undefined) throw new VendorSecretError(id, 'no generated simulator SMTP account exists');
  return { ...address, security: 'none', auth: { user: account.user, password: account.password } };
}

function relayConnection(id: string, settings: SmtpVendorSettings, deployment: FleetDeployment): Connection {
  if (settings.host === undefined) throw new VendorSecretError(id, 'host is required for a real SMTP relay');
  const auth =
    settings.user !== undefined && settings.credentials !== undefined
      ? { user: settings.user, password: loadSmtpPassword(id, settings.credentials, deployment.secrets) }
      : undefined;
  return {
    host: settings.host,
    port: smtpPortOf(settings),
    security: settings.tls ?? 'starttls',
    ...(auth ? { auth } : {}),
    ...(settings.tlsCa ? { ca: loadCaCertificates(id, settings.tlsCa, deployment.secrets) } : {}),
  };
}
