import { hasValidRs256Signature, signRs256Jwt, type DecodedJwt } from './jwt.js';
import { epochSeconds } from '../lib/clock.js';
import type { Services } from '../services.js';

/**
 * The key set that signs Cognito Identity's OpenID tokens, kept with the user pools' keys (a name
 * no user pool ID can take: those always hold an underscore), rotated and published the same way.
 */
export const OPEN_ID_KEY_SET = 'cognito-identity';

/** The path under Cognate's URL where the OpenID tokens' issuer serves discovery and its keys. */
export const OPEN_ID_ISSUER_PATH = '/cognito-identity';

/**
 * How long an OpenID token lasts: 10 minutes, as the model's GetOpenIdToken documentation says
 * ("The OpenID token is valid for 10 minutes").
 */
export const OPEN_ID_TOKEN_SECONDS = 600;

/**
 * The `iss` of the OpenID tokens: Cognate's own URL by default, so any relying party finds the
 * discovery document and keys at `<iss>/.well-known/...`; AWS's `https://cognito-identity.amazonaws.com`
 * when tokens are issued in the AWS style (for tools that hard-code it).
 */
export function openIdIssuer(services: Pick<Services, 'config' | 'publicUrl'>): string {
  return services.config.issuerStyle === 'aws' ? 'https://cognito-identity.amazonaws.com' : `${services.publicUrl()}${OPEN_ID_ISSUER_PATH}`;
}

/** Who an OpenID token is for: the identity, its pool, and how it signed in (`amr`). */
export interface OpenIdSubject {
  identityId: string;
  identityPoolId: string;
  /** `["unauthenticated"]`, or `"authenticated"` followed by the providers' names. */
  amr: string[];
  /** How long the token lasts, in seconds; OPEN_ID_TOKEN_SECONDS when unset. */
  lifetimeSeconds?: number;
  /**
   * Session tags for STS, carried as AWS's web identity tokens carry them: the claim
   * `https://aws.amazon.com/tags` with `principal_tags`, each value a one-item list.
   */
  principalTags?: Record<string, string>;
}

/** The claim of a web identity token that STS reads session tags from. */
export const SESSION_TAGS_CLAIM = 'https://aws.amazon.com/tags';

/**
 * The session tags a web identity token carries (`https://aws.amazon.com/tags`, `principal_tags`,
 * each value a one-item list, as Cognito Identity's OpenID tokens carry them); none when absent.
 */
export function sessionTagsOfClaim(claim: unknown): Record<string, string> {
  const tags = (claim as { principal_tags?: unknown } | undefined)?.principal_tags;
  if (typeof tags !== 'object' || tags === null) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/**
 * An OpenID token as Cognito Identity issues it: RS256 with the identity service's key, `sub` the
 * identity, `aud` its pool, `amr` how it signed in, `iat` and `exp` in seconds, and any principal
 * tags.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp
 */
export async function signOpenIdToken(services: Services, subject: OpenIdSubject): Promise<string> {
  const iat = Math.floor(epochSeconds(services.clock.now()));
  const { kid, key } = await services.keys.signingKey(OPEN_ID_KEY_SET, 'id');
  return signRs256Jwt(
    kid,
    {
      sub: subject.identityId,
      aud: subject.identityPoolId,
      amr: subject.amr,
      iss: openIdIssuer(services),
      iat,
      exp: iat + (subject.lifetimeSeconds ?? OPEN_ID_TOKEN_SECONDS),
      ...(subject.principalTags && Object.keys(subject.principalTags).length > 0
        ? {
            [SESSION_TAGS_CLAIM]: {
              principal_tags: Object.fromEntries(Object.entries(subject.principalTags).map(([key, value]) => [key, [value]])),
            },
          }
        : {}),
    },
    key,
  );
}

/**
 * Whether the identity service signed `jwt`: its `kid` is one of the OpenID key set's keys and
 * the RS256 signature checks with it. (Its issuer, audience and expiry are the caller's to check.)
 */
export async function signedByIdentityService(services: Pick<Services, 'keys'>, jwt: DecodedJwt): Promise<boolean> {
  const kid = jwt.header['kid'];
  if (typeof kid !== 'string') return false;
  const key = await services.keys.verificationKey(OPEN_ID_KEY_SET, kid);
  return key !== undefined && (await hasValidRs256Signature(jwt, key));
}
