import { AliasExistsException, InvalidParameterException, LimitExceededException } from '../../../generated/cognito-idp/errors.js';
import { defineOperation } from '../../define-operation.js';
import { requirePool, requireUser } from '../../lookup.js';
import { usernameKey } from '../../../auth/resolve-user.js';
import { COGNITO_SUBJECT, federatedUsername } from '../../../oauth/federation/federated-user.js';
import { hasIdentity, identitiesOf, identityEntry, withIdentities } from '../../../oauth/federation/identities.js';
import { COGNITO_PROVIDER, checkSourceAttribute, providerUser, requireSourceProvider } from './provider-links.js';

/** Cognito links at most five federated identities to one user. */
const MAX_LINKED_IDENTITIES = 5;

/**
 * AdminLinkProviderForUser: an upstream identity (SourceUser) that has not signed in yet will sign
 * in as an existing native user (DestinationUser: ProviderName `Cognito`, the username as value).
 * The destination's `identities` attribute lists the link.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminLinkProviderForUser.html
 */
export const adminLinkProviderForUser = defineOperation('AdminLinkProviderForUser', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const destination = providerUser(input.DestinationUser, 'DestinationUser', COGNITO_SUBJECT);
  const source = providerUser(input.SourceUser, 'SourceUser');
  if (source.providerName === COGNITO_PROVIDER) {
    throw new InvalidParameterException(
      'Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser',
    );
  }
  if (destination.providerName !== COGNITO_PROVIDER || destination.attributeName !== COGNITO_SUBJECT) {
    throw new InvalidParameterException(
      `Invalid DestinationUser: only a Cognito user (ProviderName ${COGNITO_PROVIDER}, ProviderAttributeName ${COGNITO_SUBJECT}) can be a DestinationUser`,
    );
  }
  const provider = await requireSourceProvider(services, pool.id, source.providerName);
  checkSourceAttribute(provider, source.attributeName);
  const user = await requireUser(services, pool, destination.attributeValue);
  if (user.status === 'EXTERNAL_PROVIDER') {
    throw new InvalidParameterException('Invalid DestinationUser: a federated user cannot be a DestinationUser');
  }
  if (source.attributeName === COGNITO_SUBJECT) {
    const signedUp = await services.store.users.get(pool.id, usernameKey(pool, federatedUsername(provider.name, source.attributeValue)));
    if (signedUp) {
      throw new InvalidParameterException(
        'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
      );
    }
  }
  const links = await services.store.linkedIdentities.listForUser(pool.id, user.usernameKey);
  if (links.length >= MAX_LINKED_IDENTITIES) {
    throw new LimitExceededException(`A user can be linked to at most ${MAX_LINKED_IDENTITIES} identities.`);
  }

  const now = services.clock.now();
  const linked = await services.store.linkedIdentities.link({
    poolId: pool.id,
    providerName: provider.name,
    attributeName: source.attributeName,
    attributeValue: source.attributeValue,
    usernameKey: user.usernameKey,
    createdAt: now,
  });
  if (!linked) throw new AliasExistsException('The SourceUser is already linked to a user in this user pool.');
  const entries = identitiesOf(user);
  if (!hasIdentity(entries, provider.name, source.attributeValue)) {
    const identities = [...entries, identityEntry(provider, source.attributeValue, false, now)];
    await services.store.users.update({ ...user, attributes: withIdentities(user.attributes, identities), updatedAt: now });
  }
  return {};
});
