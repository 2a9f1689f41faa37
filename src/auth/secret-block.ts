import { NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord } from '../store/ports.js';
import { newUuid } from '../lib/ids.js';
import { incorrectCredentials } from './steps/password.js';

/**
 * SRP's `SECRET_BLOCK`: the server half of one SRP exchange (the client's A, the server's secret
 * b, who and for which app client), sealed with AES-256-GCM under the master key and handed to
 * the client, which returns it with its proof. No node keeps SRP state, so any node can verify
 * the proof; the block expires with the client's AuthSessionValidity and answers one proof only.
 *
 * Wire form: standard base64 of `0x01 | iv (12) | tag (16) | ciphertext`. Clients HMAC the decoded
 * bytes into PASSWORD_CLAIM_SIGNATURE (`Buffer.from(SECRET_BLOCK, 'base64')`, Python's
 * `base64.standard_b64decode`), so it must be plain base64 rather than the sealer's own text form.
 */

/** The sealer context of SECRET_BLOCKs, so that no other sealed value can pass for one. */
const SEAL_CONTEXT = 'srp-secret-block';
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any real block (about 1.8 KB); longer input is refused before decoding. */
const MAX_BLOCK_CHARS = 8192;
/** AuthSessionValidity when a client has none (Cognito's default, in minutes). */
const DEFAULT_VALIDITY_MINUTES = 3;
/** How long a spent block's marker is kept; longer than any block lives (15 minutes at most). */
const SPENT_MARKER_MS = 24 * 3_600_000;

/**
 * Which SRP flow issued a block, so the verifier knows what follows a valid proof:
 * USER_SRP_AUTH, USER_AUTH's PASSWORD_SRP, or CUSTOM_AUTH with `CHALLENGE_NAME: SRP_A` (the
 * define auth challenge trigger decides what follows).
 */
export type SrpOrigin = 'USER_SRP_AUTH' | 'USER_AUTH' | 'CUSTOM_AUTH';

/** What a SECRET_BLOCK carries. */
export interface SecretBlockState {
  /** `user`: PASSWORD_VERIFIER against the password's verifier; `device`: DEVICE_PASSWORD_VERIFIER. */
  readonly kind: 'user' | 'device';
  readonly origin: SrpOrigin;
  readonly poolId: string;
  readonly clientId: string;
  /** The internal username (`USER_ID_FOR_SRP`), or the decoy's name. */
  readonly username: string;
  /**
   * The user's sub, so a user deleted and re-created under the same name cannot use the block; for
   * a name that matches no user, its decoy sub, which matches no user either, so every proof fails.
   */
  readonly sub: string;
  /** The client's A, as base64 of its big-endian bytes (a third shorter than hex). */
  readonly A: string;
  /** The server's secret exponent b, as hex. */
  readonly b: string;
  /** The server's B sent with the challenge, as base64 like A; kept so the proof needs no g^b again. */
  readonly B: string;
  /** `device`: the device being proven. */
  readonly deviceKey?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Makes every block unique and names it when it is spent. */
  readonly nonce: string;
}

export type NewSecretBlock = Omit<SecretBlockState, 'poolId' | 'clientId' | 'issuedAt' | 'expiresAt' | 'nonce'>;

/** A number of the exchange (A, B) as a block stores it. */
export function blockNumber(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64');
}

/** A number stored by {@link blockNumber}. */
export function fromBlockNumber(value: string): bigint {
  const hex = Buffer.from(value, 'base64').toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** Seals a block for this pool and app client, valid for the client's AuthSessionValidity minutes. */
export function sealSecretBlock(
  services: Services,
  target: { pool: UserPoolRecord; client: UserPoolClientRecord },
  content: NewSecretBlock,
): string {
  const now = services.clock.now();
  const minutes = target.client.config.AuthSessionValidity ?? DEFAULT_VALIDITY_MINUTES;
  const state: SecretBlockState = {
    ...content,
    poolId: target.pool.id,
    clientId: target.client.clientId,
    issuedAt: now,
    expiresAt: now + minutes * 60_000,
    nonce: newUuid(),
  };
  const [, iv, body, tag] = services.sealer.seal(JSON.stringify(state), SEAL_CONTEXT).split('.') as [string, string, string, string];
  return Buffer.concat([
    Buffer.from([FORMAT_VERSION]),
    Buffer.from(iv, 'base64url'),
    Buffer.from(tag, 'base64url'),
    Buffer.from(body, 'base64url'),
  ]).toString('base64');
}

function isState(value: unknown): value is SecretBlockState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['kind'] === 'user' || v['kind'] === 'device') &&
    typeof v['origin'] === 'string' &&
    typeof v['poolId'] === 'string' &&
    typeof v['clientId'] === 'string' &&
    typeof v['username'] === 'string' &&
    typeof v['sub'] === 'string' &&
    typeof v['A'] === 'string' &&
    typeof v['b'] === 'string' &&
    typeof v['B'] === 'string' &&
    typeof v['issuedAt'] === 'number' &&
    typeof v['expiresAt'] === 'number' &&
    typeof v['nonce'] === 'string' &&
    (v['deviceKey'] === undefined || typeof v['deviceKey'] === 'string')
  );
}

/** The sealed text inside a wire block, or undefined when it is not one of ours in shape. */
function unwrap(block: string): string | undefined {
  if (block.length > MAX_BLOCK_CHARS || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(block)) return undefined;
  const bytes = Buffer.from(block, block.includes('-') || block.includes('_') ? 'base64url' : 'base64');
  if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_VERSION) return undefined;
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const body = bytes.subarray(1 + IV_BYTES + TAG_BYTES);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

/** Cognito's answer to a SECRET_BLOCK past its life; its session wording (best guess for SRP). */
function expiredBlock(): NotAuthorizedException {
  return new NotAuthorizedException('Invalid session for the user, session is expired.');
}

/** Cognito's answer to a SECRET_BLOCK that already answered a proof (best guess: its session wording). */
function spentBlock(): NotAuthorizedException {
  return new NotAuthorizedException('Invalid session for the user.');
}

function spentKey(state: SecretBlockState): string {
  return `srp-block:${state.nonce}`;
}

/**
 * Opens the SECRET_BLOCK a client returned with its proof. A block that is not ours, was altered,
 * is of the other kind, or was issued for another pool or app client is a wrong proof, as AWS
 * answers a wrong SECRET_BLOCK ("Incorrect username or password.", ministack PR #1758). An
 * expired or spent block says so.
 */
export async function openSecretBlock(
  services: Services,
  block: string,
  expected: { pool: UserPoolRecord; client: UserPoolClientRecord; kind: SecretBlockState['kind'] },
): Promise<SecretBlockState> {
  const sealed = unwrap(block);
  const opened = sealed === undefined ? null : services.sealer.openString(sealed, SEAL_CONTEXT);
  if (opened === null) throw incorrectCredentials();
  let state: unknown;
  try {
    state = JSON.parse(opened);
  } catch {
    throw incorrectCredentials();
  }
  if (!isState(state) || state.kind !== expected.kind || state.poolId !== expected.pool.id || state.clientId !== expected.client.clientId) {
    throw incorrectCredentials();
  }
  if (services.clock.now() >= state.expiresAt) throw expiredBlock();
  if ((await services.store.rateCounters.peek(spentKey(state))) !== undefined) throw spentBlock();
  return state;
}

/**
 * Marks a block spent once it has answered a proof; a second use is refused, also when two nodes
 * race on it (the marker lives in the store's counters).
 */
export async function spendSecretBlock(services: Services, state: SecretBlockState): Promise<void> {
  const uses = await services.store.rateCounters.hitSliding(spentKey(state), SPENT_MARKER_MS, services.clock.now());
  if (uses > 1) throw spentBlock();
}
