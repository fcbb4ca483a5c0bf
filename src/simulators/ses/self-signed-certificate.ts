import { createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for `commonName`, RSA with SHA-256, as PEM. Node
 * can read certificates but not make them, and the simulator's SNS needs only this one shape, so
 * the few DER structures it takes are encoded here rather than adding a dependency:
 *
 *   Certificate    = SEQUENCE { tbsCertificate, AlgorithmIdentifier, BIT STRING signature }
 *   TBSCertificate = SEQUENCE { [0] version 2, serial, AlgorithmIdentifier, issuer Name,
 *                               SEQUENCE { notBefore, notAfter }, subject Name, SubjectPublicKeyInfo }
 *   Name           = SEQUENCE { SET { SEQUENCE { OID commonName, UTF8String } } }
 */
export function selfSignedCertificatePem(
  privateKey: KeyObject,
  commonName: string,
  validity: { readonly notBefore: Date; readonly notAfter: Date },
): string {
  const algorithm = sequence(oid(SHA256_WITH_RSA), NULL);
  const name = sequence(set(sequence(oid(COMMON_NAME), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER, as RFC 5280 asks of serial numbers
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name,
    sequence(time(validity.notBefore), time(validity.notAfter)),
    name,
    createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const SHA256_WITH_RSA = [1, 2, 840, 113549, 1, 1, 11];
const COMMON_NAME = [2, 5, 4, 3];
const NULL = Buffer.from([0x05, 0x00]);

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...parts: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(parts));
}

/** A non-negative INTEGER from big-endian bytes (a leading 0 keeps the high bit from meaning minus). */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(arcs: readonly number[]): Buffer {
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      base128.unshift((value % 128) | (base128.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5), to the second. */
function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return at.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}
