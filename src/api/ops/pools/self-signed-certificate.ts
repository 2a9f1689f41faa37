import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

/*
 * A minimal X.509 v1 certificate writer (RFC 5280 §4.1), enough for a self-signed RSA certificate
 * of a pool's key. Node parses certificates (X509Certificate) but cannot create them; the DER
 * needed here is a dozen primitive encodings, which does not earn a dependency.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));

/** A non-negative INTEGER from big-endian magnitude bytes. */
function integer(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, body.length ? body : Buffer.from([0]));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 requires. */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, ''); // 20260101000000
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
const COMMON_NAME = '2.5.4.3';

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))));
}

export interface SelfSignedCertificateRequest {
  /** The RSA private key that signs the certificate; its public half is the subject key. */
  privateKey: KeyObject;
  /** Subject and issuer common name. */
  commonName: string;
  notBefore: number;
  notAfter: number;
  /** Bytes the serial number is derived from, so the same key always gives the same certificate. */
  serialSeed: string;
}

/**
 * A DER-encoded, self-signed X.509 certificate (sha256WithRSAEncryption). RSA PKCS#1 v1.5
 * signatures are deterministic, so equal requests give byte-identical certificates.
 */
export function selfSignedCertificate(request: SelfSignedCertificateRequest): Buffer {
  const spki = createPublicKey(request.privateKey).export({ format: 'der', type: 'spki' });
  // A positive serial of at most 20 octets (RFC 5280 §4.1.2.2): 16 bytes of a hash, top bit clear.
  const serial = createHash('sha256').update(request.serialSeed).digest().subarray(0, 16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01;
  const subject = name(request.commonName);
  const tbs = sequence(integer(serial), SHA256_WITH_RSA, subject, sequence(time(request.notBefore), time(request.notAfter)), subject, spki);
  const signature = sign('sha256', tbs, request.privateKey);
  return sequence(tbs, SHA256_WITH_RSA, bitString(signature));
}
