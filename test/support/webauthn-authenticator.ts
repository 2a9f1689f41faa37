import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/*
 * A software passkey authenticator for tests, built on node:crypto: it answers a relying party's
 * creation options with a "none" attestation of a new ES256 (P-256) key, and its request options
 * with a signed assertion, in the JSON forms browsers give (RegistrationResponseJSON,
 * AuthenticationResponseJSON). Each call can be bent (another origin, RP ID, counter or key) to
 * show what the server refuses.
 *
 * @see https://www.w3.org/TR/webauthn-3/#sctn-attestation
 */

type Cbor = number | string | Uint8Array | CborMap;
interface CborMap {
  readonly entries: ReadonlyArray<readonly [number | string, Cbor]>;
}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(length, 1);
  return out;
}

/** The few CBOR forms an attestation needs: integers, text, bytes and maps (RFC 8949). */
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  return Buffer.concat([head(5, value.entries.length), ...value.entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const map = (...entries: Array<readonly [number | string, Cbor]>): CborMap => ({ entries });

function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The authenticator data flags (WebAuthn §6.1): user present, user verified, backup eligible and state, attested data. */
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

interface StoredKey {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly userHandle: string;
  counter: number;
}

/** What a test may bend in a ceremony. */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** The challenge to sign instead of the server's. */
  challenge?: string;
  /** The counter to report; by default each assertion adds one. */
  counter?: number;
  /** Leaves the user-verified flag off. */
  withoutUserVerification?: boolean;
}

export interface RegistrationResponseJson {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
}

export interface AuthenticationResponseJson {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export class SoftwareAuthenticator {
  private readonly keys = new Map<string, StoredKey>();

  constructor(readonly origin: string) {}

  /** Creates a key for the options' relying party and user, answered with a "none" attestation. */
  register(options: CreationOptions, overrides: CeremonyOverrides = {}): RegistrationResponseJson {
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(32);
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = cbor(map([1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([UP | (overrides.withoutUserVerification ? 0 : UV) | BE | BS | AT]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLength,
      id,
      coseKey,
    ]);
    const clientData = this.clientData('webauthn.create', overrides.challenge ?? options.challenge, overrides.origin);
    this.keys.set(b64url(id), { id, privateKey, publicKey, userHandle: options.user.id, counter: 0 });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(cbor(map(['fmt', 'none'], ['attStmt', map()], ['authData', authData]))),
        transports: ['internal', 'hybrid'],
      },
    };
  }

  /** Signs the options' challenge with the key `credentialId` (by default the first one registered). */
  assert(options: RequestOptions, credentialId?: string, overrides: CeremonyOverrides = {}): AuthenticationResponseJson {
    const key = credentialId === undefined ? [...this.keys.values()][0] : this.keys.get(credentialId);
    if (!key) throw new Error(`the authenticator holds no credential ${credentialId ?? ''}`);
    const rpId = overrides.rpId ?? options.rpId ?? new URL(this.origin).hostname;
    key.counter = overrides.counter ?? key.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(key.counter);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([UP | (overrides.withoutUserVerification ? 0 : UV) | BE | BS]), counter]);
    const clientData = this.clientData('webauthn.get', overrides.challenge ?? options.challenge, overrides.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), key.privateKey);
    return {
      id: b64url(key.id),
      rawId: b64url(key.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: key.userHandle,
      },
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): string {
    return JSON.stringify({ type, challenge, origin, crossOrigin: false });
  }
}
