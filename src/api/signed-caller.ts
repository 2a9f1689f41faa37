import { CognitoError, ExpiredSecurityTokenException, UnrecognizedClientException } from '../errors/cognito-error.js';
import { constantTimeEqual, sha256Hex } from '../crypto/compare.js';
import { assumedRoleArn } from '../credentials/sessions.js';
import { NotAuthorizedException } from '../generated/cognito-sync/errors.js';
import type { StsSessionRecord } from '../store/ports.js';
import type { Services } from '../services.js';
import { signedAccessKeyId, verifySigV4, type IncomingSignedRequest, type SigV4Identity } from './sigv4.js';
import type { AwsService } from './aws-services.js';
import { SYNC_IDENTITY_OPERATIONS } from '../domain/cognito-sync.js';

/** The verified caller of a SigV4 operation. */
export interface Caller extends SigV4Identity {
  /** Present when the request was signed with temporary credentials Cognate issued (an STS session). */
  readonly session?: StsSessionRecord;
}

/**
 * Verifies a SigV4 request against the service's signing name, and tells who signed it: an admin
 * key pair from the settings, or temporary credentials of an STS session Cognate issued (their
 * access key id, found in the database so any node knows them, and their secret). A temporary
 * key's request must carry its session token (`X-Amz-Security-Token`), compared by hash in
 * constant time; a wrong or missing token or a revoked session is an unrecognized client, an
 * expired one is ExpiredTokenException, as AWS answers them.
 */
export async function verifyCaller(
  services: Services,
  service: Pick<AwsService, 'signingName' | 'signingRegion'>,
  req: IncomingSignedRequest,
): Promise<Caller> {
  // A global service (IAM) is signed for its own region; Cognate's region is accepted too, as the
  // AWS CLI given --endpoint-url signs with whatever region it is configured for.
  const region = service.signingRegion === null ? services.config.region : [service.signingRegion, services.config.region];
  const options = { service: service.signingName, region, now: services.clock.now() };
  const accessKeyId = signedAccessKeyId(req);
  const session =
    accessKeyId !== undefined && accessKeyId.startsWith('ASIA') && services.secretFor(accessKeyId) === undefined
      ? await services.store.stsSessions.get(accessKeyId)
      : undefined;
  if (!session) return verifySigV4(req, { ...options, secretFor: (id) => services.secretFor(id) });
  const identity = verifySigV4(req, { ...options, secretFor: (id) => (id === session.accessKeyId ? session.secretAccessKey : undefined) });
  const token = req.headers['x-amz-security-token'];
  if (typeof token !== 'string' || !constantTimeEqual(sha256Hex(token), session.tokenHash) || session.revoked) {
    throw new UnrecognizedClientException();
  }
  if (options.now >= session.expiresAt) throw new ExpiredSecurityTokenException();
  return { ...identity, session };
}

/** The ARN of the resource an operation acts on, as IAM names it in a refusal; `*` when it names none. */
function resourceOf(services: Services, input: unknown): string {
  const { region, accountId } = services.config;
  const members = (input ?? {}) as Record<string, unknown>;
  if (typeof members['UserPoolId'] === 'string') return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${members['UserPoolId']}`;
  if (typeof members['IdentityPoolId'] === 'string') {
    return `arn:aws:cognito-identity:${region}:${accountId}:identitypool/${members['IdentityPoolId']}`;
  }
  return '*';
}

/**
 * Whether the caller may run the operation. Admin key pairs stand for the account and may run
 * everything. Temporary credentials act as their role, and roles have no permissions yet (there
 * is no IAM policy evaluation): they may call STS (GetCallerIdentity), and an identity's
 * credentials may call Cognito Sync's operations on that identity's own data (another identity's
 * is Cognito Sync's NotAuthorizedException); every other signed operation refuses them with the
 * AccessDeniedException IAM gives a principal no policy allows.
 * This is the one place that decides, where policy evaluation plugs in.
 */
export function authorizeCaller(services: Services, service: AwsService, operation: string, caller: Caller, input: unknown): void {
  if (!caller.session || service.id === 'sts') return;
  if (service.id === 'cognito-sync' && SYNC_IDENTITY_OPERATIONS.has(operation) && caller.session.source === 'cognito-identity') {
    const identityId = (input as { IdentityId?: unknown }).IdentityId;
    if (identityId === caller.session.subject) return;
    throw new NotAuthorizedException(`Access to Identity '${String(identityId)}' is forbidden.`);
  }
  const user = assumedRoleArn(caller.session.roleArn, caller.session.sessionName);
  const action = `${service.signingName}:${operation}`;
  throw new CognitoError(
    'AccessDeniedException',
    400,
    `User: ${user} is not authorized to perform: ${action} on resource: ${resourceOf(services, input)} ` +
      `because no identity-based policy allows the ${action} action`,
  );
}
