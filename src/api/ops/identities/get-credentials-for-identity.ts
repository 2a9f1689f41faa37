import { defineIdentityOperation } from '../../define-operation.js';
import { epochSeconds } from '../../../lib/clock.js';
import { DEFAULT_SESSION_SECONDS, issueSession } from '../../../credentials/sessions.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { requireIdentity } from './identity-shape.js';
import { signInAsIdentity } from './logins.js';
import { NO_ROLE, roleForIdentity } from './identity-role.js';
import { amrOfLogins } from './developer-logins.js';
import { sessionPrincipalTags } from './role-choice.js';
import { roleTrustsWebIdentity } from '../../../credentials/trust.js';
import { InvalidIdentityPoolConfigurationException } from '../../../generated/cognito-identity/errors.js';

/** The session name of the credentials Cognito Identity issues, as `GetCallerIdentity` shows it. */
export const COGNITO_SESSION_NAME = 'CognitoIdentityCredentials';

/**
 * GetCredentialsForIdentity (unsigned, as on AWS): temporary AWS credentials for an identity, an
 * hour long, for the pool's role (src/api/ops/identities/identity-role.ts chooses it). The caller
 * signs in as the identity as GetOpenIdToken's does: `Logins` verified, and one of them the
 * identity's own; a guest presents none, while the pool allows guests. The credentials carry the
 * principal tags the providers' principal tag maps give (role-choice.ts).
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html
 */
export const getCredentialsForIdentity = defineIdentityOperation('GetCredentialsForIdentity', async (input, { services }) => {
  const identity = await requireIdentity(services, input.IdentityId);
  const pool = await requireIdentityPool(services, identity.identityPoolId);
  const logins = await signInAsIdentity(services, pool, identity, input.Logins);
  const poolRoles = await services.store.identityPools.roles(pool.id);
  const roles = poolRoles ?? {};
  const roleArn = roleForIdentity(roles, { logins, customRoleArn: input.CustomRoleArn });
  // Cognito assumes the role as AssumeRoleWithWebIdentity would, so the role's trust policy must
  // take the identity; when it does not, AWS answers with the pool-configuration error.
  const amr = amrOfLogins(pool, logins);
  if (!(await roleTrustsWebIdentity(services, roleArn, { aud: pool.id, amr, sub: identity.id }, poolRoles))) {
    throw new InvalidIdentityPoolConfigurationException(NO_ROLE);
  }
  const credentials = await issueSession(services, {
    roleArn,
    sessionName: COGNITO_SESSION_NAME,
    subject: identity.id,
    source: 'cognito-identity',
    durationSeconds: DEFAULT_SESSION_SECONDS,
    principalTags: await sessionPrincipalTags(services, pool, logins),
  });
  return {
    IdentityId: identity.id,
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: epochSeconds(credentials.expiresAt),
    },
  };
});
