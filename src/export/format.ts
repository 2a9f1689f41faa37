import type { Sealer } from '../crypto/sealing.js';
import type {
  DeviceRecord,
  DomainRecord,
  GroupRecord,
  IdentityProviderRecord,
  LinkedIdentityRecord,
  ResourceServerRecord,
  UserPoolClientRecord,
  UserPoolRecord,
  UserRecord,
  WebAuthnCredentialRecord,
} from '../store/ports.js';
import type { ExportKdf } from './export-key.js';
import { srpContext } from '../auth/passwords.js';
import { TOTP_SEAL_CONTEXT } from '../auth/totp.js';
import { verifierContext } from '../auth/devices.js';
import { ENCRYPTION_KEY_DETAIL, encryptionKeyContext } from '../oauth/federation/saml-encryption.js';

/**
 * The export file: JSON Lines, one JSON object a line, so a pool of millions of users is written
 * and read a line at a time. The first line is the {@link ExportHeader}; then each pool's line
 * followed by its clients, groups, resource servers, domains, identity providers, users, and then
 * its memberships, devices, passkeys and linked identities; the last line is the `end` line with
 * the counts, so a cut-off file is refused.
 *
 * Records are the store's own (`store/ports.ts`). Every secret in them is sealed under the export
 * key (`export-key.ts`) with the context the server seals it with, or one of the file's own for
 * secrets the store keeps in clear in its records (client secrets, identity providers' details).
 * Password hashes (argon2id) are written as they are stored.
 */

export const EXPORT_FORMAT = 'cognate-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** Epoch milliseconds. */
  exportedAt: number;
  kdf: ExportKdf;
  keyCheck: string;
}

export type ExportLine =
  | { type: 'pool'; pool: UserPoolRecord }
  | { type: 'client'; client: Omit<UserPoolClientRecord, 'secrets'>; secrets: string | null }
  | { type: 'group'; group: GroupRecord }
  | { type: 'resourceServer'; server: ResourceServerRecord }
  | { type: 'domain'; domain: DomainRecord }
  | { type: 'identityProvider'; provider: Omit<IdentityProviderRecord, 'details'>; details: string }
  | { type: 'user'; user: UserRecord }
  | { type: 'membership'; poolId: string; group: string; usernameKey: string }
  | { type: 'device'; device: DeviceRecord }
  | { type: 'passkey'; credential: WebAuthnCredentialRecord }
  | { type: 'linkedIdentity'; link: LinkedIdentityRecord }
  | { type: 'end'; counts: Record<string, number> };

export type ExportLineType = ExportLine['type'];

/** The file's own contexts, for secrets the store's records hold in clear. */
export function clientSecretsContext(clientId: string): string {
  return `export:client-secrets:${clientId}`;
}

export function providerDetailsContext(poolId: string, name: string): string {
  return `export:identity-provider:${poolId}:${name}`;
}

/** Opens `sealed` with `from` and seals it again with `to`, under the same context; throws naming `what`. */
function reseal(sealed: string, context: string, from: Sealer, to: Sealer, what: string): string {
  const opened = from.open(sealed, context);
  if (opened === null) throw new Error(`${what} does not open (sealed under another key)`);
  return to.seal(opened, context);
}

/**
 * The user with every sealed value of `extra` (the SRP verifier, the TOTP secrets) sealed again
 * from one key to the other: the master key to the export key when exporting, back when importing.
 */
export function resealUser(user: UserRecord, from: Sealer, to: Sealer): UserRecord {
  const what = `the secrets of user ${user.username} of ${user.poolId}`;
  const extra = { ...user.extra };
  if (typeof extra['srp'] === 'string') extra['srp'] = reseal(extra['srp'], srpContext({ id: user.poolId }, user), from, to, what);
  if (extra.mfa) {
    const mfa = { ...extra.mfa };
    if (mfa.totpSecret !== undefined) mfa.totpSecret = reseal(mfa.totpSecret, TOTP_SEAL_CONTEXT, from, to, what);
    if (mfa.totpPending !== undefined) mfa.totpPending = reseal(mfa.totpPending, TOTP_SEAL_CONTEXT, from, to, what);
    extra.mfa = mfa;
  }
  return { ...user, extra };
}

/** The device with its sealed SRP verifier sealed again from one key to the other. */
export function resealDevice(device: DeviceRecord, from: Sealer, to: Sealer): DeviceRecord {
  if (device.sealedVerifier === null) return device;
  const what = `the verifier of device ${device.deviceKey} of ${device.poolId}`;
  return { ...device, sealedVerifier: reseal(device.sealedVerifier, verifierContext(device), from, to, what) };
}

/** A provider's details with the SAML encryption key in them (sealed by the server) sealed again. */
export function resealProviderDetails(
  provider: Pick<IdentityProviderRecord, 'poolId' | 'name'>,
  details: Record<string, string>,
  from: Sealer,
  to: Sealer,
): Record<string, string> {
  const sealed = details[ENCRYPTION_KEY_DETAIL];
  if (sealed === undefined) return details;
  const context = encryptionKeyContext(provider.poolId, provider.name);
  const what = `the SAML encryption key of identity provider ${provider.name} of ${provider.poolId}`;
  return { ...details, [ENCRYPTION_KEY_DETAIL]: reseal(sealed, context, from, to, what) };
}
