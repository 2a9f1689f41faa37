import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { IdentityProviderRecord } from '../../../store/ports.js';
import { IDENTITIES_ATTRIBUTE } from '../../../domain/attributes.js';
import {
  checkProviderName,
  duplicateProvider,
  identifierTaken,
  normalizeAttributeMapping,
  normalizeDetails,
  normalizeIdentifiers,
  schemaWithIdentities,
  takenIdentifier,
  toIdentityProviderType,
} from './provider-shape.js';
import { withSamlEncryptionKey } from './saml-encryption-key.js';

/**
 * CreateIdentityProvider: an upstream SAML, OIDC or social provider the pool's users may sign in
 * with. Its details are checked and completed as Cognito does (social presets, OIDC discovery, SAML
 * metadata and a SAML provider's encryption certificate); the pool's schema gains the `identities`
 * attribute with its first provider.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateIdentityProvider.html
 */
export const createIdentityProvider = defineOperation('CreateIdentityProvider', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  checkProviderName(input.ProviderName, input.ProviderType);
  if (await services.store.identityProviders.get(pool.id, input.ProviderName)) throw duplicateProvider(input.ProviderName, pool.id);
  const attributeMapping = normalizeAttributeMapping(pool, input.ProviderType, input.AttributeMapping);
  const idpIdentifiers = normalizeIdentifiers(input.IdpIdentifiers);
  const taken = await takenIdentifier(services, pool.id, input.ProviderName, idpIdentifiers);
  if (taken !== undefined) throw identifierTaken(taken, pool.id);
  const normalized = await normalizeDetails(input.ProviderType, input.ProviderDetails);
  // Every SAML provider gets its encryption key pair at creation, whether it encrypts or not (as in Cognito).
  const details =
    input.ProviderType === 'SAML' ? await withSamlEncryptionKey(services, pool.id, input.ProviderName, normalized) : normalized;

  const now = services.clock.now();
  const provider: IdentityProviderRecord = {
    poolId: pool.id,
    name: input.ProviderName,
    type: input.ProviderType,
    details,
    attributeMapping,
    idpIdentifiers,
    createdAt: now,
    updatedAt: now,
  };
  // The insert decides a race between two creates; the name is the likelier collision.
  if (!(await services.store.identityProviders.create(provider))) {
    if (await services.store.identityProviders.get(pool.id, provider.name)) throw duplicateProvider(provider.name, pool.id);
    const raced = await takenIdentifier(services, pool.id, provider.name, idpIdentifiers);
    throw identifierTaken(raced ?? idpIdentifiers[0] ?? provider.name, pool.id);
  }
  const schema = schemaWithIdentities(pool.config.SchemaAttributes, IDENTITIES_ATTRIBUTE);
  if (schema) await services.store.pools.update({ ...pool, config: { ...pool.config, SchemaAttributes: schema } });
  return { IdentityProvider: toIdentityProviderType(provider) };
});
