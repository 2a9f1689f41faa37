/**
 * Rules of identity pools (Cognito Identity) that are not in the model.
 */

/** A user pool ID as clients parse it: region, `_`, then the name SRP hashes. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** Cognito's own form of a user pool provider name: the AWS issuer without its scheme. */
const AWS_PROVIDER = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/(.+)$/;

/**
 * The user pool a `CognitoIdentityProviders[].ProviderName` (or a `Logins` key) names, or undefined
 * when it names none. Cognito's form is `cognito-idp.<region>.amazonaws.com/<poolId>`; Cognate also
 * takes its own issuer form (`<publicUrl>/<poolId>`, with or without the scheme), which is the `iss`
 * of its tokens when the issuer is not set to the AWS style.
 */
export function userPoolOfProviderName(providerName: string, publicUrl: string): string | undefined {
  const server = publicUrl.replace(/\/+$/, '');
  const bare = server.replace(/^https?:\/\//, '');
  let poolId = AWS_PROVIDER.exec(providerName)?.[1];
  for (const base of [server, bare]) {
    if (poolId === undefined && providerName.startsWith(`${base}/`)) poolId = providerName.slice(base.length + 1);
  }
  return poolId !== undefined && USER_POOL_ID.test(poolId) ? poolId : undefined;
}

/**
 * Cognito's own name of a user pool provider, `cognito-idp.<region>.amazonaws.com/<poolId>`. Logins
 * are linked under it whichever form their `Logins` key took, so one user is one identity.
 */
export function userPoolProviderName(userPoolId: string): string {
  return `cognito-idp.${userPoolId.slice(0, userPoolId.indexOf('_'))}.amazonaws.com/${userPoolId}`;
}

/** The region an identity pool's ID begins with (`<region>:<uuid>`), which its identities' IDs share. */
export function regionOfIdentityPool(identityPoolId: string): string {
  return identityPoolId.slice(0, identityPoolId.indexOf(':'));
}
