import { createHash, randomBytes } from 'node:crypto';
import { sha256Hex } from '../crypto/compare.js';
import { randomString } from '../lib/ids.js';
import { parseRoleArn } from '../domain/identity-pool-roles.js';
import type { StsSessionSource } from '../store/ports.js';
import type { Services } from '../services.js';

/** How long credentials last unless asked otherwise: an hour, as GetCredentialsForIdentity's do. */
export const DEFAULT_SESSION_SECONDS = 3600;

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** The characters of AWS secret access keys. */
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

/** Temporary credentials as the caller gets them, once; the store keeps the secret sealed and the token as a hash. */
export interface TemporaryCredentials {
  /** `ASIA` and 16 upper-case letters and digits, as AWS's temporary access key ids. */
  accessKeyId: string;
  /** 40 characters. */
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What a new session is for. */
export interface SessionRequest {
  roleArn: string;
  sessionName: string;
  /** The identity ID, or the web identity token's `sub`. */
  subject: string;
  source: StsSessionSource;
  durationSeconds: number;
  /** Session tags; none by default. */
  principalTags?: Record<string, string>;
}

/**
 * Issues temporary credentials for a role and stores their session, so any node can check a
 * request signed with them (src/credentials/temporary-caller.ts).
 */
export async function issueSession(services: Services, request: SessionRequest): Promise<TemporaryCredentials> {
  const now = services.clock.now();
  const credentials: TemporaryCredentials = {
    accessKeyId: `ASIA${randomString(16, UPPER_ALNUM)}`,
    secretAccessKey: randomString(40, SECRET_ALPHABET),
    sessionToken: randomBytes(96).toString('base64'),
    expiresAt: now + request.durationSeconds * 1000,
  };
  await services.store.stsSessions.insert({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    tokenHash: sha256Hex(credentials.sessionToken),
    roleArn: request.roleArn,
    sessionName: request.sessionName,
    subject: request.subject,
    source: request.source,
    createdAt: now,
    expiresAt: credentials.expiresAt,
    revoked: false,
    principalTags: request.principalTags ?? {},
  });
  return credentials;
}

/** Who a session acts as: STS's assumed-role user. */
export interface AssumedRoleUser {
  /** `arn:<partition>:sts::<account>:assumed-role/<roleName>/<sessionName>`. */
  arn: string;
  /** `<role id>:<sessionName>`. */
  assumedRoleId: string;
  account: string;
}

/**
 * A role's unique ID as IAM gives it (`AROA` and 17 upper-case letters and digits). Until roles are
 * IAM resources of their own, it is derived from the role's ARN, so it is the same on every node.
 */
export function roleIdOf(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn, 'utf8').digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += UPPER_ALNUM[digest[i]! % UPPER_ALNUM.length];
  return id;
}

/** The assumed-role user of a session of `roleArn` named `sessionName`; the role's account owns it. */
export function assumedRoleUser(roleArn: string, sessionName: string): AssumedRoleUser {
  const role = parseRoleArn(roleArn);
  if (!role) throw new Error(`not a role ARN: ${roleArn}`);
  return {
    arn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    assumedRoleId: `${roleIdOf(roleArn)}:${sessionName}`,
    account: role.account,
  };
}
