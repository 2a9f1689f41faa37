import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Uniformly random string over an alphabet (rejection-free via randomInt). */
export function randomString(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alnum>`, the shape clients parse (region before `_`, SRP pool name after). */
export function newUserPoolId(region: string): string {
  return `${region}_${randomString(9)}`;
}

/** 26 lowercase alphanumerics, like Cognito's app client IDs. */
export function newClientId(): string {
  return randomString(26, LOWER_ALNUM);
}

/** 51 lowercase alphanumerics, like Cognito's generated client secrets (within ClientSecretType 24-64). */
export function newClientSecret(): string {
  return randomString(51, LOWER_ALNUM);
}

export function newUuid(): string {
  return randomUUID();
}

/** A six-digit numeric code for confirmation, verification and reset messages. */
export function newNumericCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Opaque, URL-safe random token. */
export function newOpaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
