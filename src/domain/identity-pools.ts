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

/** An IAM OIDC provider's ARN, `arn:<partition>:iam::<account>:oidc-provider/<host and path>`. */
const OIDC_PROVIDER_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(.+)$/;

/**
 * The provider name an identity pool's OpenIdConnectProviderARNs entry goes by in `Logins`: the
 * host and path its ARN ends with, as IAM names an OIDC provider after its issuer URL; undefined
 * for a value that is no such ARN.
 */
export function oidcProviderNameOfArn(arn: string): string | undefined {
  return OIDC_PROVIDER_ARN.exec(arn)?.[1];
}

/** A host (with any port) on the loopback interface, where tests and local issuers listen. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * The issuer URL of an OIDC provider named by host and path: https, as IAM requires of provider
 * URLs, except on the loopback interface, where plain http serves local issuers.
 */
export function issuerOfOidcProvider(providerName: string): string {
  const host = providerName.split('/', 1)[0] ?? '';
  return `${LOOPBACK_HOST.test(host) ? 'http' : 'https'}://${providerName}`;
}
