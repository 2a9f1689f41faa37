import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { IdentityProviderRecord } from '../../../store/ports.js';
import { IdpIdentifierTakenError } from '../../../store/sql/identity-providers.js';
import {
  identifierTaken,
  normalizeAttributeMapping,
  normalizeDetails,
  normalizeIdentifiers,
  providerNotFound,
  requireProvider,
  takenIdentifier,
  toIdentityProviderType,
} from './provider-shape.js';
import { withSamlEncryptionKey } from './saml-encryption-key.js';

/**
 * UpdateIdentityProvider: each member given replaces the stored one (details are checked and
 * completed again, as on create); members left out are kept. The type never changes.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateIdentityProvider.html
 */
export const updateIdentityProvider = defineOperation('UpdateIdentityProvider', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const provider = await requireProvider(services, pool.id, input.ProviderName);
  const attributeMapping =
    input.AttributeMapping === undefined
      ? provider.attributeMapping
      : normalizeAttributeMapping(pool, provider.type, input.AttributeMapping);
  const idpIdentifiers = input.IdpIdentifiers === undefined ? provider.idpIdentifiers : normalizeIdentifiers(input.IdpIdentifiers);
  const taken = await takenIdentifier(services, pool.id, provider.name, idpIdentifiers);
  if (taken !== undefined) throw identifierTaken(taken, pool.id);
  const given = input.ProviderDetails === undefined ? provider.details : await normalizeDetails(provider.type, input.ProviderDetails);
  // A SAML provider keeps its encryption key pair (the certificate its IdP encrypts to) through updates.
  const details = provider.type === 'SAML' ? await withSamlEncryptionKey(services, pool.id, provider.name, given, provider.details) : given;

  const updated: IdentityProviderRecord = { ...provider, details, attributeMapping, idpIdentifiers, updatedAt: services.clock.now() };
  try {
    if (!(await services.store.identityProviders.update(updated))) throw providerNotFound(provider.name);
  } catch (error) {
    if (error instanceof IdpIdentifierTakenError) throw identifierTaken(error.identifier, pool.id);
    throw error;
  }
  return { IdentityProvider: toIdentityProviderType(updated) };
});
