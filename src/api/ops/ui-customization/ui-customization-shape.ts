import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { UICustomizationType } from '../../../generated/cognito-idp/shapes.js';
import { epochSeconds } from '../../../lib/clock.js';
import { logoPath } from '../../../oauth/branding-logo.js';
import { ALL_CLIENTS } from '../../../pages/branding.js';
import type { Services } from '../../../services.js';
import type { UiCustomizationRecord, UserPoolRecord } from '../../../store/ports.js';
import { requireClient } from '../../lookup.js';

/**
 * Branding is for managed login, which only a pool with a domain has. Cognito answers both
 * operations with this text (as Terraform's AWS provider matches it) when the pool has none.
 */
export async function requireDomain(services: Services, pool: UserPoolRecord): Promise<void> {
  if ((await services.store.domains.listForPool(pool.id)).length === 0) {
    throw new InvalidParameterException('There has to be an existing domain associated with this user pool');
  }
}

/** The client a request names: `ALL` (also when absent) for the pool's default, else an existing client. */
export async function requireCustomizedClient(services: Services, pool: UserPoolRecord, clientId: string | undefined): Promise<string> {
  if (clientId === undefined || clientId === ALL_CLIENTS) return ALL_CLIENTS;
  return (await requireClient(services, pool.id, clientId)).clientId;
}

/**
 * The UICustomizationType of a stored customization. ImageUrl is the logo on the pool's path
 * form, which works without DNS for the pool's domain; members with nothing set are left out.
 */
export function toUICustomizationType(services: Services, record: UiCustomizationRecord): UICustomizationType {
  return {
    UserPoolId: record.poolId,
    ClientId: record.clientId,
    ...(record.logoDigest !== null ? { ImageUrl: `${services.publicUrl()}/${record.poolId}${logoPath(record)}` } : {}),
    ...(record.css !== null ? { CSS: record.css } : {}),
    CSSVersion: record.cssVersion,
    LastModifiedDate: epochSeconds(record.updatedAt),
    CreationDate: epochSeconds(record.createdAt),
  };
}
