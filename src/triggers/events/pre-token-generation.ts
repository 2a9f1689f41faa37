import { InvalidLambdaResponseException } from '../../generated/cognito-idp/errors.js';
import type { PreTokenGenerationLambdaVersionType } from '../../generated/cognito-idp/shapes.js';
import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';

/**
 * Why tokens are being issued, as Cognito names it in the pre token generation event.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export type TokenSource =
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_ClientCredentials';

/** The event version of each `PreTokenGenerationConfig.LambdaVersion`. */
const EVENT_VERSIONS: Readonly<Record<PreTokenGenerationLambdaVersionType, '1' | '2' | '3'>> = { V1_0: '1', V2_0: '2', V3_0: '3' };

/** The pool's pre token generation function and the event version it takes, when it has one. */
export function preTokenGenerationFunction(pool: UserPoolRecord): { arn: string; version: '1' | '2' | '3' } | undefined {
  const config = pool.config.LambdaConfig ?? {};
  const versioned = config.PreTokenGenerationConfig;
  if (versioned?.LambdaArn) return { arn: versioned.LambdaArn, version: EVENT_VERSIONS[versioned.LambdaVersion] ?? '1' };
  if (config.PreTokenGeneration) return { arn: config.PreTokenGeneration, version: '1' };
  return undefined;
}

/** The groups of the event's `groupConfiguration` and of the response's `groupOverrideDetails`. */
export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}

/** What the token issuer knows when it asks the handler. */
export interface PreTokenGenerationInput {
  source: TokenSource;
  /** The username, or the app client's ID for client_credentials tokens (there is no user). */
  userName: string;
  clientId: string;
  /**
   * The user's attributes and groups as the event shows them: built only when the pool has the
   * trigger, since every sign-in and refresh comes through here.
   */
  userAttributes: () => Record<string, string>;
  groupConfiguration: () => GroupConfiguration;
  /** The access token's scopes (sent from event version 2 on). */
  scopes: readonly string[];
  clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** Changes the handler asked for in one token. */
export interface ClaimChanges {
  claimsToAddOrOverride: Record<string, unknown>;
  claimsToSuppress: string[];
}

/** Everything the handler asked to change; empty lists and maps change nothing. */
export interface TokenCustomisation {
  idToken: ClaimChanges;
  accessToken: ClaimChanges & { scopesToAdd: string[]; scopesToSuppress: string[] };
  /** Only the members the handler set (null or absent keeps the user's groups). */
  groupOverride: Partial<GroupConfiguration>;
}

/** Claims no handler may change in either token: they are the token's identity, time and binding. */
const PROTECTED_CLAIMS = new Set([
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
  // Group claims change through groupOverrideDetails only.
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
]);
const PROTECTED_ID_CLAIMS = new Set([...PROTECTED_CLAIMS, 'cognito:username']);
const PROTECTED_ACCESS_CLAIMS = new Set([...PROTECTED_CLAIMS, 'client_id', 'device_key', 'scope', 'username', 'version']);

/** ID token claims that keep a plain value even in version 2 and 3 responses. */
const SCALAR_ID_CLAIMS = new Set(['email_verified', 'phone_number_verified', 'updated_at', 'address']);

/**
 * Applies one token's changes to its claims, in place: claims the handler added or overrode, then
 * those it suppressed (suppression wins). Protected claims are left as they are.
 */
export function applyClaimChanges(claims: Record<string, unknown>, changes: ClaimChanges, token: 'id' | 'access'): void {
  const protectedClaims = token === 'id' ? PROTECTED_ID_CLAIMS : PROTECTED_ACCESS_CLAIMS;
  for (const [name, value] of Object.entries(changes.claimsToAddOrOverride)) {
    if (!protectedClaims.has(name)) claims[name] = value;
  }
  for (const name of changes.claimsToSuppress) {
    if (!protectedClaims.has(name)) delete claims[name];
  }
}

/** The access token's scopes after the handler's changes: its additions appended, its suppressions removed. */
export function customisedScopes(scopes: readonly string[], customisation: TokenCustomisation): string[] {
  const suppressed = new Set(customisation.accessToken.scopesToSuppress);
  return [...new Set([...scopes, ...customisation.accessToken.scopesToAdd])].filter((scope) => !suppressed.has(scope));
}

function invalid(reason: string): InvalidLambdaResponseException {
  return new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: reason });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object member, null and absent counting as empty; anything else is an invalid response. */
function objectAt(parent: Record<string, unknown>, name: string, allowed: readonly string[]): Record<string, unknown> {
  const value = parent[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(`${name} is not an object`);
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalid(`${name} has an unknown member ${unknown}`);
  return value;
}

function stringList(parent: Record<string, unknown>, name: string): string[] | undefined {
  const value = parent[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string'))
    throw invalid(`${name} is not a list of strings`);
  return value;
}

/**
 * `claimsToAddOrOverride`: version 1 takes strings only; versions 2 and 3 also take numbers,
 * booleans, lists and JSON objects, except for the ID token claims Cognito keeps scalar.
 */
function claimMap(parent: Record<string, unknown>, version: string, token: 'id' | 'access'): Record<string, unknown> {
  const value = parent['claimsToAddOrOverride'];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid('claimsToAddOrOverride is not an object');
  for (const [name, claim] of Object.entries(value)) {
    const scalar = typeof claim === 'string' || typeof claim === 'number' || typeof claim === 'boolean';
    if (version === '1' ? typeof claim !== 'string' : claim === null || (!scalar && token === 'id' && SCALAR_ID_CLAIMS.has(name))) {
      throw invalid(`claim ${name} has a value of the wrong type`);
    }
  }
  return value;
}

function claimChanges(details: Record<string, unknown>, version: string, token: 'id' | 'access'): ClaimChanges {
  return { claimsToAddOrOverride: claimMap(details, version, token), claimsToSuppress: stringList(details, 'claimsToSuppress') ?? [] };
}

function groupOverride(details: Record<string, unknown>): Partial<GroupConfiguration> {
  const group = objectAt(details, 'groupOverrideDetails', ['groupsToOverride', 'iamRolesToOverride', 'preferredRole']);
  const override: Partial<GroupConfiguration> = {};
  const groups = stringList(group, 'groupsToOverride');
  if (groups) override.groupsToOverride = groups;
  const roles = stringList(group, 'iamRolesToOverride');
  if (roles) override.iamRolesToOverride = roles;
  const preferred = group['preferredRole'];
  if (typeof preferred === 'string') override.preferredRole = preferred;
  else if (preferred !== undefined && preferred !== null) throw invalid('preferredRole is not a string');
  return override;
}

const V1_DETAILS = ['claimsToAddOrOverride', 'claimsToSuppress', 'groupOverrideDetails'];
const V2_DETAILS = ['idTokenGeneration', 'accessTokenGeneration', 'groupOverrideDetails'];
const TOKEN_DETAILS = ['claimsToAddOrOverride', 'claimsToSuppress'];
const ACCESS_DETAILS = [...TOKEN_DETAILS, 'scopesToAdd', 'scopesToSuppress'];

/** Reads the handler's response; a member the trigger may not set, or of the wrong type, is invalid. */
function readResponse(response: Record<string, unknown>, version: string): TokenCustomisation {
  const none: ClaimChanges = { claimsToAddOrOverride: {}, claimsToSuppress: [] };
  if (version === '1') {
    const details = objectAt({ claimsOverrideDetails: response['claimsOverrideDetails'] }, 'claimsOverrideDetails', V1_DETAILS);
    const unknown = Object.keys(response).find((key) => key !== 'claimsOverrideDetails');
    if (unknown !== undefined) throw invalid(`response has an unknown member ${unknown}`);
    return {
      idToken: claimChanges(details, version, 'id'),
      accessToken: { ...none, scopesToAdd: [], scopesToSuppress: [] },
      groupOverride: groupOverride(details),
    };
  }
  const unknown = Object.keys(response).find((key) => key !== 'claimsAndScopeOverrideDetails');
  if (unknown !== undefined) throw invalid(`response has an unknown member ${unknown}`);
  const details = objectAt(response, 'claimsAndScopeOverrideDetails', V2_DETAILS);
  const access = objectAt(details, 'accessTokenGeneration', ACCESS_DETAILS);
  return {
    idToken: claimChanges(objectAt(details, 'idTokenGeneration', TOKEN_DETAILS), version, 'id'),
    accessToken: {
      ...claimChanges(access, version, 'access'),
      scopesToAdd: stringList(access, 'scopesToAdd') ?? [],
      scopesToSuppress: stringList(access, 'scopesToSuppress') ?? [],
    },
    groupOverride: groupOverride(details),
  };
}

/**
 * Runs the pool's pre token generation trigger, when it has one for this source, and returns the
 * changes its handler asked for. Version 1 and 2 functions are not run for client_credentials
 * tokens; version 3 functions are.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export async function preTokenGeneration(
  services: Services,
  pool: UserPoolRecord,
  input: PreTokenGenerationInput,
): Promise<TokenCustomisation | undefined> {
  const target = preTokenGenerationFunction(pool);
  if (!target) return undefined;
  if (input.source === 'TokenGeneration_ClientCredentials' && target.version !== '3') return undefined;
  const response = await fireTrigger(services, pool, {
    trigger: 'PreTokenGeneration',
    functionArn: target.arn,
    triggerSource: input.source,
    version: target.version,
    userName: input.userName,
    clientId: input.clientId,
    request: {
      userAttributes: input.userAttributes(),
      groupConfiguration: input.groupConfiguration(),
      ...(target.version !== '1' ? { scopes: [...input.scopes] } : {}),
      ...(input.clientMetadata !== undefined ? { clientMetadata: input.clientMetadata } : {}),
    },
    response: target.version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  return response === undefined ? undefined : readResponse(response, target.version);
}
