import { CognitoError } from '../../../errors/cognito-error.js';
import { ExpiredTokenException, InvalidIdentityTokenException } from '../../../generated/sts/errors.js';
import { defineStsOperation } from '../../define-operation.js';
import { epochSeconds } from '../../../lib/clock.js';
import { decodeJwt } from '../../../tokens/jwt.js';
import {
  OPEN_ID_KEY_SET,
  SESSION_TAGS_CLAIM,
  openIdIssuer,
  sessionTagsOfClaim,
  signedByIdentityService,
} from '../../../tokens/open-id-token.js';
import { parseRoleArn } from '../../../domain/identity-pool-roles.js';
import { DEFAULT_SESSION_SECONDS, assumedRoleUser, issueSession } from '../../../credentials/sessions.js';
import { roleTrustsWebIdentity, type WebIdentityClaims } from '../../../credentials/trust.js';
import type { Services } from '../../../services.js';

/*
 * STS's texts, as AWS answers them: a token that is no JWT (EKS and IRSA reports), an issuer with
 * no provider ("No OpenIDConnect provider found in your account for <iss>"), an unknown key
 * (aws-sdk-js-v3#3052, its two spaces included), expiry (aws-sdk-java-v2#5709 and
 * aws-orbit-workbench#771, with no space before the second number), a trust policy that refuses
 * (AccessDenied) and a RoleArn that is not an ARN. A signature that does not verify, and a token
 * without the claims of Cognito Identity's, are Cognate's words.
 */
const NOT_A_JWT = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
/** A DurationSeconds past the role's MaxSessionDuration (kreuzwerker/awsu#27, a ValidationError). */
const EXCEEDS_MAX_SESSION = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
const NO_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

/** The claims of an OpenID token the identity service signed, checked as STS checks a web identity token. */
async function verifiedWebIdentity(
  services: Services,
  token: string,
): Promise<WebIdentityClaims & { iss: string; principalTags: Record<string, string> }> {
  const jwt = decodeJwt(token);
  if (!jwt) throw new InvalidIdentityTokenException(NOT_A_JWT);
  const { iss, aud, sub, amr, exp } = jwt.payload;
  if (typeof iss !== 'string' || iss !== openIdIssuer(services)) {
    throw new InvalidIdentityTokenException(`No OpenIDConnect provider found in your account for ${String(iss)}`);
  }
  const kid = jwt.header['kid'];
  if (typeof kid !== 'string' || !(await services.keys.verificationKey(OPEN_ID_KEY_SET, kid)))
    throw new InvalidIdentityTokenException(NO_KEY);
  if (!(await signedByIdentityService(services, jwt)))
    throw new InvalidIdentityTokenException('The web identity token signature does not verify.');
  const now = Math.floor(services.clock.now() / 1000);
  if (typeof exp !== 'number' || now >= exp) {
    throw new ExpiredTokenException(`Token expired: current date/time ${now} must be before the expiration date/time${String(exp)}`);
  }
  if (typeof aud !== 'string' || typeof sub !== 'string' || !Array.isArray(amr) || !amr.every((v) => typeof v === 'string')) {
    throw new InvalidIdentityTokenException('The web identity token lacks the aud, sub or amr claim of a Cognito Identity token.');
  }
  return { iss, aud, sub, amr: amr as string[], principalTags: sessionTagsOfClaim(jwt.payload[SESSION_TAGS_CLAIM]) };
}

/**
 * AssumeRoleWithWebIdentity (unsigned, as on AWS): credentials of a role for the holder of an
 * OpenID token of Cognito Identity (GetOpenIdToken's, the "basic flow"): signed by the identity
 * service's keys, under its issuer, unexpired, and trusted by the role (src/credentials/trust.ts: the
 * trust policy of a role defined through the IAM API, else Cognito's standard one on `aud` and `amr`). The session lasts
 * DurationSeconds (900 to 43200, the model's range, and at most the MaxSessionDuration of a role an
 * IAM role record defines; an hour by default) and carries the token's session tags as its
 * principal tags. Session policies
 * (Policy, PolicyArns) are accepted and not applied: roles have no permissions to narrow yet.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
export const assumeRoleWithWebIdentity = defineStsOperation('AssumeRoleWithWebIdentity', async (input, { services }) => {
  if (!parseRoleArn(input.RoleArn)) throw new CognitoError('ValidationError', 400, 'Request ARN is invalid');
  const claims = await verifiedWebIdentity(services, input.WebIdentityToken);
  if (!(await roleTrustsWebIdentity(services, input.RoleArn, claims))) {
    throw new CognitoError('AccessDenied', 403, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  }
  const durationSeconds = input.DurationSeconds ?? DEFAULT_SESSION_SECONDS;
  const role = await services.store.iam.getRoleByArn(input.RoleArn);
  if (role && durationSeconds > role.maxSessionDuration) throw new CognitoError('ValidationError', 400, EXCEEDS_MAX_SESSION);
  const credentials = await issueSession(services, {
    roleArn: input.RoleArn,
    sessionName: input.RoleSessionName,
    subject: claims.sub,
    source: 'web-identity',
    durationSeconds,
    principalTags: claims.principalTags,
  });
  const user = await assumedRoleUser(services, input.RoleArn, input.RoleSessionName);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: epochSeconds(credentials.expiresAt),
    },
    SubjectFromWebIdentityToken: claims.sub,
    AssumedRoleUser: { Arn: user.arn, AssumedRoleId: user.assumedRoleId },
    Provider: claims.iss,
    Audience: claims.aud,
  };
});
