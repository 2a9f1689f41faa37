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
  /** The session's principal tags; none when unset. */
  principalTags?: Record<string, string>;
}

/** Fresh temporary credentials expiring at `expiresAt` (epoch ms): the key material of one session. */
export function newTemporaryCredentials(expiresAt: number): TemporaryCredentials {
  return {
    accessKeyId: `ASIA${randomString(16, UPPER_ALNUM)}`,
    secretAccessKey: randomString(40, SECRET_ALPHABET),
    sessionToken: randomBytes(96).toString('base64'),
    expiresAt,
  };
}

/**
 * Issues temporary credentials for a role and stores their session, so any node can check a
 * request signed with them (src/credentials/temporary-caller.ts).
 */
export async function issueSession(services: Services, request: SessionRequest): Promise<TemporaryCredentials> {
  const now = services.clock.now();
  const credentials = newTemporaryCredentials(now + request.durationSeconds * 1000);
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
 * The unique ID of a role that no IAM role record defines, in IAM's form (`AROA` and 17 upper-case
 * letters and digits): derived from the role's ARN, so it is the same on every node.
 */
export function roleIdOf(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn, 'utf8').digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += UPPER_ALNUM[digest[i]! % UPPER_ALNUM.length];
  return id;
}

/** The ARN of a session of `roleArn` named `sessionName`: `arn:<partition>:sts::<account>:assumed-role/<roleName>/<sessionName>`. */
export function assumedRoleArn(roleArn: string, sessionName: string): string {
  const role = parseRoleArn(roleArn);
  if (!role) throw new Error(`not a role ARN: ${roleArn}`);
  return `arn:${role.partition}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
}

/**
 * The assumed-role user of a session of `roleArn` named `sessionName`; the role's account owns it.
 * Its id begins with the role's unique ID: the IAM role record's (`RoleId`) when one defines the
 * role, as STS shows it, else one derived from the ARN.
 */
export async function assumedRoleUser(services: Services, roleArn: string, sessionName: string): Promise<AssumedRoleUser> {
  const role = parseRoleArn(roleArn);
  if (!role) throw new Error(`not a role ARN: ${roleArn}`);
  const record = await services.store.iam.getRoleByArn(roleArn);
  return {
    arn: assumedRoleArn(roleArn, sessionName),
    assumedRoleId: `${record?.id ?? roleIdOf(roleArn)}:${sessionName}`,
    account: role.account,
  };
}
