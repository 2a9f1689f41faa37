/**
 * Rules of identity pools' roles (SetIdentityPoolRoles) that are not in the model: what a role ARN
 * is, and which provider names a role mapping may be keyed by.
 */
import { userPoolOfProviderName } from './identity-pools.js';
import type { IdentityPoolConfig } from '../store/ports.js';

/** The parts of an IAM role ARN: `arn:<partition>:iam::<account>:role/<path><name>`. */
export interface RoleArn {
  partition: string;
  account: string;
  /** `/` or `/some/path/`, as IAM writes a role's path. */
  path: string;
  name: string;
}

/** IAM's role ARN: a 12-digit account, an optional path of printable characters, a name of IAM's characters. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

/** The parts of a role ARN, or undefined when the value is not one. */
export function parseRoleArn(value: string): RoleArn | undefined {
  const match = ROLE_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, account, path, name] = match as unknown as [string, string, string, string, string];
  return { partition, account, path, name };
}

/**
 * Whether `key` names a provider the pool lists, as a role mapping's key must: a user pool app
 * client as `cognito-idp.<region>.amazonaws.com/<userPoolId>:<clientId>` (either provider-name form
 * Cognate accepts), a social provider of SupportedLoginProviders, an OIDC provider by the host and
 * path its ARN ends with, or a SAML provider by its ARN.
 */
export function isRoleMappingProvider(config: IdentityPoolConfig, key: string, publicUrl: string): boolean {
  if (Object.hasOwn(config.SupportedLoginProviders ?? {}, key)) return true;
  if ((config.SamlProviderARNs ?? []).includes(key)) return true;
  if ((config.OpenIdConnectProviderARNs ?? []).some((arn) => arn.endsWith(`:oidc-provider/${key}`))) return true;
  const colon = key.lastIndexOf(':');
  const userPoolId = colon === -1 ? undefined : userPoolOfProviderName(key.slice(0, colon), publicUrl);
  if (userPoolId === undefined) return false;
  const clientId = key.slice(colon + 1);
  return (config.CognitoIdentityProviders ?? []).some(
    (provider) =>
      provider.ClientId === clientId &&
      provider.ProviderName !== undefined &&
      userPoolOfProviderName(provider.ProviderName, publicUrl) === userPoolId,
  );
}
