/**
 * Which IAM role an identity pool gives a sign-in, and which principal tags its credentials carry:
 * Cognito's role-based access control, as a pure function of the pool's settings and the token's
 * claims. GetCredentialsForIdentity runs it and maps a refusal to AWS's error.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html
 */
import type { MappingRule, RoleMapping } from '../generated/cognito-identity/shapes.js';

/** The role a sign-in gets, or why it gets none. */
export type RoleChoice = { roleArn: string } | { refusal: RoleRefusal };

/**
 * Why no role was chosen:
 * - `no-role`: the pool has no role for this kind of identity (`Roles.authenticated` or
 *   `Roles.unauthenticated` unset), including an ambiguous mapping resolved to an unset
 *   authenticated role;
 * - `ambiguous-denied`: the mapping was ambiguous (no rule matched, or a Token mapping found no
 *   single role in the token) and its AmbiguousRoleResolution is Deny;
 * - `custom-role-not-in-token`: a Token mapping was asked for a CustomRoleArn the token's
 *   `cognito:roles` does not list.
 */
export type RoleRefusal = 'no-role' | 'ambiguous-denied' | 'custom-role-not-in-token';

/**
 * AWS's exception and message for each refusal, for the caller to throw.
 * - `no-role`: InvalidIdentityPoolConfigurationException with the text AWS answers for a pool
 *   whose roles are missing or untrusted (aws-sdk-unity-samples#6, danilop/LambdAuth#4, and the
 *   GetCredentialsForIdentity reference, which ties the exception to the pool's roles).
 * - `ambiguous-denied`: the text quoted in aws-amplify/amplify-js#8644; the exception named there
 *   beside it is NotAuthorizedException, which is what a refused sign-in answers.
 * - `custom-role-not-in-token`: a best guess; AWS's text is not on record (aws/aws-sdk-net#943
 *   shows only that a CustomRoleArn from `cognito:roles` is honoured under a Deny mapping).
 */
export const ROLE_REFUSAL_ERRORS: Readonly<Record<RoleRefusal, { type: string; message: string }>> = {
  'no-role': {
    type: 'InvalidIdentityPoolConfigurationException',
    message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
  },
  'ambiguous-denied': { type: 'NotAuthorizedException', message: 'The ambiguous role mapping rules denied this request.' },
  'custom-role-not-in-token': {
    type: 'NotAuthorizedException',
    message: 'The role in CustomRoleArn is not one of the roles in the token (cognito:roles).',
  },
};

/** What the choice reads: the pool's `Roles` and `RoleMappings`, and the sign-in. */
export interface RoleChoiceInput {
  /** The pool's `Roles`: `authenticated` and `unauthenticated` role ARNs. */
  roles: Record<string, string> | undefined;
  /** The pool's `RoleMappings`, keyed by `roleMappingKey`. */
  roleMappings: Record<string, RoleMapping> | undefined;
  /** The `roleMappingKey` of the login used; undefined for a guest (unauthenticated) identity. */
  mappingKey: string | undefined;
  /** The claims of the login's token (a user pool ID token's, for a Token mapping). */
  claims: Record<string, unknown>;
  /** GetCredentialsForIdentity's CustomRoleArn. Only a Token mapping reads it. */
  customRoleArn?: string | undefined;
}

/** A user pool provider in Cognito's form, `cognito-idp.<region>.amazonaws.com/<poolId>`. */
const USER_POOL_PROVIDER = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+_[0-9a-zA-Z]+$/;

/**
 * The key of `RoleMappings` a login reads: the provider's name, and for a user pool also the app
 * client, `cognito-idp.<region>.amazonaws.com/<poolId>:<clientId>` (RoleMapping's reference and
 * CloudFormation's IdentityProvider), since one user pool's clients may map roles differently.
 */
export function roleMappingKey(providerName: string, clientId: string | undefined): string {
  return USER_POOL_PROVIDER.test(providerName) && clientId !== undefined ? `${providerName}:${clientId}` : providerName;
}

/**
 * The role for a sign-in, as Cognito chooses it. A guest gets the unauthenticated role. A login
 * with no mapping for its key gets the authenticated role. A Token mapping takes CustomRoleArn
 * when `cognito:roles` lists it, else `cognito:preferred_role`, else the one role `cognito:roles`
 * lists; a Rules mapping takes the role of the first rule that matches. Anything else is
 * ambiguous, resolved by AmbiguousRoleResolution (Deny when unset, the safer reading of a mapping
 * that the API requires to say).
 */
export function chooseRole(input: RoleChoiceInput): RoleChoice {
  if (input.mappingKey === undefined) return roleOrRefusal(input.roles?.['unauthenticated']);
  const mapping = input.roleMappings?.[input.mappingKey];
  if (!mapping) return roleOrRefusal(input.roles?.['authenticated']);
  const chosen =
    mapping.Type === 'Token'
      ? roleFromToken(input.claims, input.customRoleArn)
      : roleFromRules(mapping.RulesConfiguration?.Rules ?? [], input.claims);
  if (chosen !== undefined) return chosen;
  if (mapping.AmbiguousRoleResolution === 'AuthenticatedRole') return roleOrRefusal(input.roles?.['authenticated']);
  return { refusal: 'ambiguous-denied' };
}

function roleOrRefusal(roleArn: string | undefined): RoleChoice {
  return roleArn ? { roleArn } : { refusal: 'no-role' };
}

/** A Token mapping's choice; undefined when the token leaves it ambiguous. */
function roleFromToken(claims: Record<string, unknown>, customRoleArn: string | undefined): RoleChoice | undefined {
  const listed = claimValues(claims['cognito:roles']) ?? [];
  if (customRoleArn !== undefined)
    return listed.includes(customRoleArn) ? { roleArn: customRoleArn } : { refusal: 'custom-role-not-in-token' };
  const preferred = claims['cognito:preferred_role'];
  if (typeof preferred === 'string' && preferred !== '') return { roleArn: preferred };
  const distinct = [...new Set(listed)];
  return distinct.length === 1 ? { roleArn: distinct[0]! } : undefined;
}

/** A Rules mapping's choice: the first rule that matches, in order; undefined when none does. */
function roleFromRules(rules: readonly MappingRule[], claims: Record<string, unknown>): RoleChoice | undefined {
  const rule = rules.find((candidate) => ruleMatches(candidate, claims));
  return rule ? { roleArn: rule.RoleARN } : undefined;
}

/**
 * Whether a rule matches the claims. The claim must be present (the guide: "the claim name that
 * must be present in the token"), so not even NotEqual matches a missing claim. A single value
 * is compared as text. A multi-valued claim (`cognito:groups`, `amr`) matches Contains when one
 * of its values contains the text, StartsWith when one starts with it, Equals when one equals it,
 * and NotEqual when none equals it, so a rule on `cognito:groups` tests membership.
 */
export function ruleMatches(rule: MappingRule, claims: Record<string, unknown>): boolean {
  const values = claimValues(claims[rule.Claim]);
  if (values === undefined) return false;
  switch (rule.MatchType) {
    case 'Equals':
      return values.includes(rule.Value);
    case 'NotEqual':
      return !values.includes(rule.Value);
    case 'Contains':
      return values.some((value) => value.includes(rule.Value));
    case 'StartsWith':
      return values.some((value) => value.startsWith(rule.Value));
    default:
      return false;
  }
}

/**
 * A claim's values as text: one for a string, number or boolean, and each scalar of an array.
 * Undefined when the claim is absent or is an object, which no rule can match.
 */
function claimValues(claim: unknown): string[] | undefined {
  if (typeof claim === 'string' || typeof claim === 'number' || typeof claim === 'boolean') return [String(claim)];
  if (Array.isArray(claim)) {
    const scalars = claim.filter((value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean');
    return scalars.map(String);
  }
  return undefined;
}

/**
 * The principal tags of "attributes for access control" when a provider uses the defaults
 * (SetPrincipalTagAttributeMap's UseDefaults: "username and clientID"): tag `username` from the
 * token's `sub` and tag `client` from its `aud`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/provider-mappings.html
 */
export const DEFAULT_PRINCIPAL_TAGS: Readonly<Record<string, string>> = { username: 'sub', client: 'aud' };

/** A provider's principal tag map as stored: defaults on or off, and its own tag → claim map. */
export interface PrincipalTagMap {
  useDefaults: boolean;
  /** Tag key → the claim whose value the tag takes. */
  principalTags: Record<string, string>;
}

/**
 * The session tags a sign-in's credentials carry: each mapped tag with its claim's value, the
 * defaults first and the provider's own map over them. A claim the token lacks gives no tag; a
 * multi-valued claim gives its values joined by commas (as STS session tags carry lists); an
 * object gives none. No map (the provider never set one) gives no tags.
 */
export function principalTagsFromClaims(map: PrincipalTagMap | undefined, claims: Record<string, unknown>): Record<string, string> {
  if (!map) return {};
  const tagToClaim = { ...(map.useDefaults ? DEFAULT_PRINCIPAL_TAGS : {}), ...map.principalTags };
  const tags: Record<string, string> = {};
  for (const [tag, claimName] of Object.entries(tagToClaim)) {
    const values = claimValues(claims[claimName]);
    if (values !== undefined && values.length > 0) tags[tag] = values.join(',');
  }
  return tags;
}
