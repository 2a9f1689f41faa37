import { ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import type { IdentityDescription } from '../../../generated/cognito-identity/shapes.js';
import { epochSeconds } from '../../../lib/clock.js';
import type { IdentityRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/**
 * The identity of that ID, or ResourceNotFoundException naming it (the text follows the identity
 * pool's, `IdentityPool '<id>' not found.`; AWS's own for an identity is not on record).
 */
export async function requireIdentity(services: Services, id: string): Promise<IdentityRecord> {
  const identity = await services.store.identities.get(id);
  if (!identity) throw new ResourceNotFoundException(`Identity '${id}' not found.`);
  return identity;
}

/** The IdentityDescription of DescribeIdentity and ListIdentities: the linked providers' names and the dates. */
export function toIdentityDescription(identity: IdentityRecord): IdentityDescription {
  return {
    IdentityId: identity.id,
    ...(identity.logins.length > 0 ? { Logins: [...new Set(identity.logins.map((login) => login.providerName))] } : {}),
    CreationDate: epochSeconds(identity.createdAt),
    LastModifiedDate: epochSeconds(identity.updatedAt),
  };
}
