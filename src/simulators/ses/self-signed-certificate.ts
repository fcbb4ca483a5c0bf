import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for `commonName`, RSA with SHA-256, as PEM. Node
 * reads certificates but cannot make them; node-forge (pure JavaScript, no native addon) does the
 * ASN.1, from the key node:crypto generated.
 */
export function selfSignedCertificatePem(
  privateKey: KeyObject,
  commonName: string,
  validity: { readonly notBefore: Date; readonly notAfter: Date },
): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER, as RFC 5280 asks of serial numbers
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  const name = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  const signingKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  ) as forge.pki.rsa.PrivateKey;
  certificate.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}
