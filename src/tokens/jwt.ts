import { sign, verify, type KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `header.payload`, the signed bytes. */
  signingInput: string;
  signature: Buffer;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS without verifying it; undefined when it is malformed. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodePart(parts[0]!);
  const payload = decodePart(parts[1]!);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
}

/**
 * Checks an RS256 signature with node:crypto's callback form, which verifies on libuv's thread
 * pool. A verification (e = 65537) is about 30 µs of CPU, the largest single cost of a GetUser;
 * done in place it keeps one process's event loop from serving more while the other core idles.
 * Handing it over costs the event loop a few microseconds (WebCrypto's `subtle.verify` costs far
 * more, which is why this is node:crypto).
 */
export function hasValidRs256Signature(jwt: DecodedJwt, key: KeyObject): Promise<boolean> {
  if (jwt.header['alg'] !== 'RS256') return Promise.resolve(false);
  return new Promise((resolve) => {
    verify('sha256', Buffer.from(jwt.signingInput, 'utf8'), key, jwt.signature, (error, valid) => resolve(!error && valid));
  });
}

/**
 * Signs `payload` as a compact RS256 JWS (header `{"kid":...,"alg":"RS256"}`, Cognito's) with
 * node:crypto's callback form, which signs on libuv's thread pool. The event loop spends a few
 * microseconds per token that way, against about 80 for WebCrypto's `subtle.sign` (which jose's
 * SignJWT uses): on a busy server that difference is a fifth of the refresh path.
 */
export function signRs256Jwt(kid: string, payload: Record<string, unknown>, key: KeyObject): Promise<string> {
  const header = Buffer.from(JSON.stringify({ kid, alg: 'RS256' })).toString('base64url');
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}
