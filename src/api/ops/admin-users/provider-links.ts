import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { ProviderUserIdentifierType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { IdentityProviderRecord, UserRecord } from '../../../store/ports.js';
import { COGNITO_SUBJECT } from '../../../oauth/federation/federated-user.js';
import { identitiesOf, withIdentities } from '../../../oauth/federation/identities.js';

/*
 * Shared by AdminLinkProviderForUser and AdminDisableProviderForUser. "Invalid SourceUser: Cognito
 * users with a username/password may not be passed in as a SourceUser, only as a DestinationUser"
 * and "Merging is not currently supported, provide a SourceUser that has not been signed up in order
 * to link" are Cognito's texts as seen in real responses (boto3#4163, aws-sdk-net#1000); the
 * others are best guesses in the same style.
 */

/** The ProviderName that stands for the pool's own (native) users. */
export const COGNITO_PROVIDER = 'Cognito';

/** A ProviderUserIdentifierType with its three members present. */
export interface ProviderUser {
  providerName: string;
  attributeName: string;
  attributeValue: string;
}

/** The members of `user`, or InvalidParameterException naming the first one missing. */
export function providerUser(user: ProviderUserIdentifierType, role: string, defaultAttributeName?: string): ProviderUser {
  const providerName = user.ProviderName ?? '';
  const attributeName = user.ProviderAttributeName ?? defaultAttributeName ?? '';
  const attributeValue = user.ProviderAttributeValue ?? '';
  for (const [member, value] of [
    ['ProviderName', providerName],
    ['ProviderAttributeName', attributeName],
    ['ProviderAttributeValue', attributeValue],
  ] as const) {
    if (value === '') throw new InvalidParameterException(`${role}.${member} is required`);
  }
  return { providerName, attributeName, attributeValue };
}

/** The pool's provider a source identity names, or InvalidParameterException. */
export async function requireSourceProvider(services: Services, poolId: string, name: string): Promise<IdentityProviderRecord> {
  const provider = await services.store.identityProviders.get(poolId, name);
  if (!provider) throw new InvalidParameterException(`The provider ${name} does not exist for User Pool ${poolId}.`);
  return provider;
}

/**
 * Social and OIDC identities are linked by their subject only; a SAML identity may also be linked
 * by the value of one of its attributes until it first signs in.
 */
export function checkSourceAttribute(provider: IdentityProviderRecord, attributeName: string): void {
  if (provider.type !== 'SAML' && attributeName !== COGNITO_SUBJECT) {
    throw new InvalidParameterException(`ProviderAttributeName must be ${COGNITO_SUBJECT} for a ${provider.type} identity provider`);
  }
}

/** The user without the identity `userId` of the provider in its `identities` attribute. */
export function withoutIdentity(user: UserRecord, providerName: string, userId: string, now: number): UserRecord {
  const kept = identitiesOf(user).filter((entry) => !(entry.providerName === providerName && entry.userId === userId));
  return { ...user, attributes: withIdentities(user.attributes, kept), updatedAt: now };
}
