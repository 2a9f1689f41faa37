import type { Services } from '../services.js';
import type { UserPoolRecord } from '../store/ports.js';

/**
 * The `iss` of a pool's tokens: `${publicUrl}/${poolId}` by default, or Cognito's own
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>` for tools that hard-code it
 * (aws-jwt-verify's CognitoJwtVerifier, Amplify's identity-pool login keys).
 */
export function issuerFor(services: Pick<Services, 'config' | 'publicUrl'>, pool: Pick<UserPoolRecord, 'id' | 'region'>): string {
  return services.config.issuerStyle === 'aws'
    ? `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`
    : `${services.publicUrl()}/${pool.id}`;
}

/** The pool ID named by an issuer, or undefined when the issuer is not one of ours. */
export function poolIdFromIssuer(services: Pick<Services, 'config' | 'publicUrl'>, issuer: string): string | undefined {
  const prefix = services.config.issuerStyle === 'aws' ? /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\// : undefined;
  let rest: string | undefined;
  if (prefix) rest = prefix.test(issuer) ? issuer.replace(prefix, '') : undefined;
  else rest = issuer.startsWith(`${services.publicUrl()}/`) ? issuer.slice(services.publicUrl().length + 1) : undefined;
  return rest && /^[\w-]+_[0-9a-zA-Z]+$/.test(rest) ? rest : undefined;
}
