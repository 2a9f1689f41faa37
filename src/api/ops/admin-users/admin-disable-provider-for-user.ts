import { UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { defineOperation } from '../../define-operation.js';
import { USER_NOT_FOUND_MESSAGE, requirePool, requireUser } from '../../lookup.js';
import type { UserExtra } from '../../../store/ports.js';
import { usernameKey } from '../../../auth/resolve-user.js';
import { COGNITO_SUBJECT, federatedUsername } from '../../../oauth/federation/federated-user.js';
import { hasIdentity, identitiesOf } from '../../../oauth/federation/identities.js';
import { COGNITO_PROVIDER, checkSourceAttribute, providerUser, requireSourceProvider, withoutIdentity } from './provider-links.js';

/**
 * AdminDisableProviderForUser: stops a user signing in one way.
 * - `Cognito` / `Cognito_Subject` / username: a native user can no longer sign in with a password
 *   (the password and its SRP verifier are dropped).
 * - A linked identity: the link is removed (the identity signs in as a new user next time).
 * - A federated user's own identity: it no longer signs in through the provider.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableProviderForUser.html
 */
export const adminDisableProviderForUser = defineOperation('AdminDisableProviderForUser', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const target = providerUser(input.User, 'User');
  const now = services.clock.now();

  if (target.providerName === COGNITO_PROVIDER) {
    const user = await requireUser(services, pool, target.attributeValue);
    const extra: UserExtra = { ...user.extra };
    delete extra['srp'];
    await services.store.users.update({ ...user, passwordHash: null, passwordChangedAt: null, extra, updatedAt: now });
    return {};
  }

  const provider = await requireSourceProvider(services, pool.id, target.providerName);
  checkSourceAttribute(provider, target.attributeName);
  const links = services.store.linkedIdentities;
  const link = await links.find(pool.id, provider.name, target.attributeName, target.attributeValue);
  if (link) {
    await links.unlink(pool.id, provider.name, target.attributeName, target.attributeValue);
    const user = await services.store.users.get(pool.id, link.usernameKey);
    if (user) await services.store.users.update(withoutIdentity(user, provider.name, target.attributeValue, now));
    return {};
  }
  if (target.attributeName === COGNITO_SUBJECT) {
    const user = await services.store.users.get(pool.id, usernameKey(pool, federatedUsername(provider.name, target.attributeValue)));
    if (user && user.status === 'EXTERNAL_PROVIDER' && hasIdentity(identitiesOf(user), provider.name, target.attributeValue)) {
      await services.store.users.update(withoutIdentity(user, provider.name, target.attributeValue, now));
      return {};
    }
  }
  throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
});
