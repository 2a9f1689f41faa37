import { DuplicateProviderException, InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { IdentityProviderType, ProviderDescription, SchemaAttributeType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { IdentityProviderKind, IdentityProviderRecord, UserPoolRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';
import { normalizeSamlProviderDetails } from '../../../oauth/federation/saml-metadata.js';
import { HIDDEN_DETAILS, SOCIAL_TYPES, normalizeOAuthProviderDetails, userIdClaimOf } from '../../../oauth/federation/providers.js';
import { SAML_HIDDEN_DETAILS } from '../../../oauth/federation/saml-encryption.js';

/*
 * Texts: "Provider X cannot be of type Google." and DuplicateProviderException "X already exists in
 * user pool Y" are Cognito's as captured in real responses (aws-cli#3179, a CloudTrail record in
 * cloudformation-coverage-roadmap#1287). The not-found texts, the reserved-name text and the
 * identifier texts are best guesses in Cognito's style.
 */

/** The IdentityProviderType of Create/Describe/Update/GetIdentityProviderByIdentifier. */
export function toIdentityProviderType(provider: IdentityProviderRecord): IdentityProviderType {
  const hidden = provider.type === 'SAML' ? SAML_HIDDEN_DETAILS : (HIDDEN_DETAILS[provider.type] ?? []);
  const details = Object.fromEntries(Object.entries(provider.details).filter(([key]) => !hidden.includes(key)));
  return {
    UserPoolId: provider.poolId,
    ProviderName: provider.name,
    ProviderType: provider.type,
    ProviderDetails: details,
    AttributeMapping: { ...provider.attributeMapping },
    IdpIdentifiers: [...provider.idpIdentifiers],
    LastModifiedDate: epochSeconds(provider.updatedAt),
    CreationDate: epochSeconds(provider.createdAt),
  };
}

/** The ProviderDescription of ListIdentityProviders. */
export function toProviderDescription(provider: IdentityProviderRecord): ProviderDescription {
  return {
    ProviderName: provider.name,
    ProviderType: provider.type,
    LastModifiedDate: epochSeconds(provider.updatedAt),
    CreationDate: epochSeconds(provider.createdAt),
  };
}

export function providerNotFound(name: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Identity provider ${name} does not exist.`);
}

export function duplicateProvider(name: string, poolId: string): DuplicateProviderException {
  return new DuplicateProviderException(`${name} already exists in user pool ${poolId}.`);
}

export function identifierTaken(identifier: string, poolId: string): DuplicateProviderException {
  return new DuplicateProviderException(`Identifier ${identifier} already exists in user pool ${poolId}.`);
}

/** The provider, or ResourceNotFoundException naming it. */
export async function requireProvider(services: Services, poolId: string, name: string): Promise<IdentityProviderRecord> {
  const provider = await services.store.identityProviders.get(poolId, name);
  if (!provider) throw providerNotFound(name);
  return provider;
}

/** The name that stands for the pool's own users in SupportedIdentityProviders and account linking. */
const RESERVED_NAMES = new Set(['cognito']);

/**
 * Refuses names a provider of this type may not have: `Cognito` (the pool's own users), and a
 * social provider not named exactly as its type, or another type named as a social one.
 */
export function checkProviderName(name: string, type: IdentityProviderKind): void {
  if (RESERVED_NAMES.has(name.toLowerCase())) throw new InvalidParameterException(`The provider name ${name} is reserved.`);
  const socialName = SOCIAL_TYPES.has(name as IdentityProviderKind);
  if ((SOCIAL_TYPES.has(type) && name !== type) || (socialName && name !== type)) {
    throw new InvalidParameterException(`Provider ${name} cannot be of type ${type}.`);
  }
}

/** The ProviderDetails to store for a provider of `type`. */
export async function normalizeDetails(
  type: IdentityProviderKind,
  details: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  if (type === 'SAML') return normalizeSamlProviderDetails(details);
  return normalizeOAuthProviderDetails(type, details);
}

/**
 * The AttributeMapping to store: every key must be `username` or an attribute of the pool's schema.
 * OAuth providers always map `username` (to the upstream user ID), as Cognito adds it.
 */
export function normalizeAttributeMapping(
  pool: UserPoolRecord,
  type: IdentityProviderKind,
  mapping: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const schema = new Set((pool.config.SchemaAttributes ?? []).map((attribute) => attribute.Name ?? ''));
  const invalid = Object.keys(mapping ?? {}).filter((key) => key !== 'username' && (key === 'sub' || !schema.has(key)));
  if (invalid.length > 0) throw new InvalidParameterException(`AttributeMapping contains invalid mapping: [${invalid.join(', ')}]`);
  if (type === 'SAML') return { ...mapping };
  return { username: userIdClaimOf(type), ...mapping };
}

/** Identifiers in the order given, once each. */
export function normalizeIdentifiers(identifiers: readonly string[] | undefined): string[] {
  return [...new Set(identifiers ?? [])];
}

/** An identifier of the list another provider of the pool already has. */
export async function takenIdentifier(
  services: Services,
  poolId: string,
  name: string,
  identifiers: readonly string[],
): Promise<string | undefined> {
  for (const identifier of identifiers) {
    const holder = await services.store.identityProviders.getByIdentifier(poolId, identifier);
    if (holder && holder.name !== name) return identifier;
  }
  return undefined;
}

/** The `identities` schema entry real pools gain with their first identity provider. */
export function schemaWithIdentities(
  schema: readonly SchemaAttributeType[] | undefined,
  entry: SchemaAttributeType,
): SchemaAttributeType[] | undefined {
  if (!schema || schema.some((attribute) => attribute.Name === entry.Name)) return undefined;
  return [...schema, { ...entry, StringAttributeConstraints: { ...entry.StringAttributeConstraints } }];
}
