import type { UserPoolDescriptionType, UserPoolType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';

/** `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`. */
export function poolArn(services: Services, pool: Pick<UserPoolRecord, 'id' | 'region'>): string {
  return `arn:aws:cognito-idp:${pool.region}:${services.config.accountId}:userpool/${pool.id}`;
}

/**
 * The pool ID a user pool ARN of this server names, or undefined for any other ARN (another
 * service, resource type, account or region).
 */
export function poolIdFromArn(services: Services, arn: string): string | undefined {
  const match = /^arn:aws:cognito-idp:([^:]+):([^:]+):userpool\/([\w-]+_[0-9a-zA-Z]+)$/.exec(arn);
  if (!match || match[2] !== services.config.accountId) return undefined;
  const [, region, , poolId] = match;
  // Pool IDs carry their region, so an ARN naming another region names no pool here.
  return poolId !== undefined && poolId.startsWith(`${region}_`) ? poolId : undefined;
}

/** The UserPoolType that DescribeUserPool and CreateUserPool return. */
export async function toUserPoolType(services: Services, pool: UserPoolRecord): Promise<UserPoolType> {
  // The MFA factor settings are GetUserPoolMfaConfig's, not DescribeUserPool's.
  const {
    UserPoolTags: tags,
    SoftwareTokenMfaConfiguration: _totp,
    EmailMfaConfiguration: _email,
    SmsMfaEnabled: _sms,
    WebAuthnConfiguration: _webAuthn,
    ...config
  } = pool.config;
  const domains = await services.store.domains.listForPool(pool.id);
  const prefix = domains.find((d) => d.kind === 'prefix');
  const custom = domains.find((d) => d.kind === 'custom');
  return {
    Id: pool.id,
    Name: pool.name,
    ...config,
    // Pools without tags leave the member out (2024 DescribeUserPool captures).
    ...(tags && Object.keys(tags).length > 0 ? { UserPoolTags: tags } : {}),
    // The pool's prefix and custom domains, as DescribeUserPool shows them (absent when none).
    ...(prefix ? { Domain: prefix.domain } : {}),
    ...(custom ? { CustomDomain: custom.domain } : {}),
    LastModifiedDate: epochSeconds(pool.updatedAt),
    CreationDate: epochSeconds(pool.createdAt),
    EstimatedNumberOfUsers: await services.store.users.estimatedCount(pool.id),
    Arn: poolArn(services, pool),
  };
}

/** The ListUserPools entry: ID, name, triggers and dates (`Status` is deprecated and not sent). */
export function toUserPoolDescription(pool: UserPoolRecord): UserPoolDescriptionType {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.config.LambdaConfig ?? {},
    LastModifiedDate: epochSeconds(pool.updatedAt),
    CreationDate: epochSeconds(pool.createdAt),
  };
}
