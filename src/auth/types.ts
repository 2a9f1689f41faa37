import type { AuthenticationResultType, ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';

/**
 * Which family of operations drives a sign-in: the public InitiateAuth/RespondToAuthChallenge,
 * their SigV4 Admin* twins, or managed login (`hosted`: the login pages on the pool's domain).
 * Some flows exist on one side only. Managed login needs no ExplicitAuthFlows on the client, and
 * ends in a signed-in user rather than API tokens: the OAuth endpoints issue its tokens.
 */
export type AuthApi = 'public' | 'admin' | 'hosted';

/** What every flow and challenge gets: the pool and app client the request names, and the caller's side. */
export interface AuthContext {
  readonly services: Services;
  readonly pool: UserPoolRecord;
  readonly client: UserPoolClientRecord;
  readonly api: AuthApi;
  /**
   * RespondToAuthChallenge's (or AdminRespondToAuthChallenge's) ClientMetadata, which reaches every
   * trigger the answer fires as `clientMetadata`; undefined on InitiateAuth and AdminInitiateAuth,
   * which pass theirs to no trigger but pre authentication and user migration (see validationData).
   *
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-ClientMetadata
   */
  readonly clientMetadata: Record<string, string> | undefined;
  /** InitiateAuth's (or AdminInitiateAuth's) ClientMetadata: pre authentication's and user migration's `validationData`. */
  readonly validationData?: Record<string, string> | undefined;
  /** InitiateAuth's `Session`: a ConfirmSignUp session that USER_AUTH takes in place of a first factor. */
  readonly initiateSession?: string | undefined;
  /** The caller's address, known for every sign-in (each comes from a request): a device's `last_ip_used`, and the audit log's source. */
  readonly sourceIp: string;
  /**
   * The origin of the managed-login page a sign-in runs on: a passkey answer must come from that
   * very origin, not only from one on the relying party. Undefined for the API, whose callers run
   * on origins of their own.
   */
  readonly pageOrigin?: string | undefined;
  /** The admin access key ID of an Admin* sign-in, for the audit log. */
  readonly actor?: string | undefined;
  /** The request's ID, for the audit log. */
  readonly requestId?: string | undefined;
}

/**
 * The end of one sign-in step: tokens, or the next challenge for the client to answer; on managed
 * login (`hosted`), the signed-in user and when the sign-in completed, in place of tokens.
 */
export type AuthOutcome =
  | { readonly kind: 'tokens'; readonly result: AuthenticationResultType }
  | { readonly kind: 'signed-in'; readonly user: UserRecord; readonly authTime: number }
  | {
      readonly kind: 'challenge';
      readonly name: ChallengeNameType;
      readonly parameters: Record<string, string>;
      /** Absent for challenges whose state travels elsewhere (SRP's SECRET_BLOCK). */
      readonly session?: string;
      /** USER_AUTH's SELECT_CHALLENGE: the first factors the user may choose from. */
      readonly availableChallenges?: readonly ChallengeNameType[];
    };

/** The wire shape shared by InitiateAuth, AdminInitiateAuth and both RespondToAuthChallenge operations. */
export interface AuthResponse {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
  AvailableChallenges?: ChallengeNameType[];
}

/** Encodes an outcome as Cognito does: a successful sign-in still carries an empty ChallengeParameters. */
export function toAuthResponse(outcome: AuthOutcome): AuthResponse {
  if (outcome.kind === 'tokens') return { ChallengeParameters: {}, AuthenticationResult: outcome.result };
  // Only managed login signs in without tokens, and it never answers through the API.
  if (outcome.kind === 'signed-in') throw new Error('A managed-login sign-in has no API response.');
  return {
    ChallengeName: outcome.name,
    ...(outcome.session !== undefined ? { Session: outcome.session } : {}),
    ChallengeParameters: outcome.parameters,
    ...(outcome.availableChallenges !== undefined ? { AvailableChallenges: [...outcome.availableChallenges] } : {}),
  };
}

/** Where a sign-in's audit events come from: the pool, the app client, the admin key, the address, the request. */
export function auditSource(ctx: AuthContext): {
  poolId: string;
  clientId: string;
  actor: string | null;
  sourceIp: string | null;
  requestId: string | null;
} {
  return {
    poolId: ctx.pool.id,
    clientId: ctx.client.clientId,
    actor: ctx.actor ?? null,
    sourceIp: ctx.sourceIp,
    requestId: ctx.requestId ?? null,
  };
}
