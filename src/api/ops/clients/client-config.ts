import { InvalidOAuthFlowException, InvalidParameterException, ScopeDoesNotExistException } from '../../../generated/cognito-idp/errors.js';
import type {
  ExplicitAuthFlowsType,
  PreventUserExistenceErrorTypes,
  TimeUnitsType,
  UpdateUserPoolClientRequest,
} from '../../../generated/cognito-idp/shapes.js';
import type { UserPoolClientConfig, UserPoolClientRecord, UserPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/*
 * The stored configuration of an app client, as CreateUserPoolClient and UpdateUserPoolClient
 * build it.
 *
 * What a client shows for members a request leaves out comes from real Create/Update/
 * DescribeUserPoolClient output (2021-2025 CLI captures; LocalStack's documented output agrees):
 * `RefreshTokenValidity: 30`, `TokenValidityUnits: {}`, `AllowedOAuthFlowsUserPoolClient: false`,
 * `EnableTokenRevocation: true`, `EnablePropagateAdditionalUserContextData: false`,
 * `AuthSessionValidity: 3`, and nothing else: no AccessTokenValidity, IdTokenValidity,
 * ExplicitAuthFlows or PreventUserExistenceErrors. Their runtime defaults (60 minutes, the three
 * default flows, LEGACY) are applied where they are used; see {@link effectiveExplicitAuthFlows}
 * and {@link effectivePreventUserExistenceErrors}.
 *
 * Error texts, each measured against AWS by others (AWS-validating rule sets, terraform-provider-
 * aws acceptance tests, captured CLI/CloudFormation errors):
 * - "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names."
 * - "Invalid range for token validity."
 * - "Access and Id Token expiration times must be less than or equal to refresh token expiration times."
 * - "Invalid read attributes specified while creating a client" / "Invalid write attributes ..."
 * - InvalidOAuthFlowException "client_credentials flow can not be selected along with code flow or implicit flow."
 * - InvalidOAuthFlowException "client_credentials flow can not be selected if client does not have a client secret."
 * - InvalidOAuthFlowException "openid is not supported with client_credentials flow"
 * - InvalidParameterException "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
 * - "Invalid scope requested: <scope>"
 * - "<url> cannot use the HTTP protocol.", "<url> cannot use fragment"
 * - "The default redirect URI <uri> is not in the callback URIs list."
 * - InvalidOAuthFlowException "CallbackUrls can not be empty when code flow or implicit flow is selected"
 * - "Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid"
 */

/** The members Create/UpdateUserPoolClient set from the request. */
export type ClientSettings = Omit<UpdateUserPoolClientRequest, 'UserPoolId' | 'ClientId' | 'ClientName'>;

/** Auth flows a client has when it names none (Cognito's documented default). */
export const DEFAULT_EXPLICIT_AUTH_FLOWS: readonly ExplicitAuthFlowsType[] = Object.freeze([
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
]);

/** The auth flows a client allows: its own list, or Cognito's default when it has none. */
export function effectiveExplicitAuthFlows(client: Pick<UserPoolClientRecord, 'config'>): readonly ExplicitAuthFlowsType[] {
  return client.config.ExplicitAuthFlows ?? DEFAULT_EXPLICIT_AUTH_FLOWS;
}

/** The client's user-existence-error setting; a client created without one behaves as LEGACY. */
export function effectivePreventUserExistenceErrors(client: Pick<UserPoolClientRecord, 'config'>): PreventUserExistenceErrorTypes {
  return client.config.PreventUserExistenceErrors ?? 'LEGACY';
}

/** Scopes that need no resource server. */
const STANDARD_SCOPES = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);

/** Attributes no app client may be given write access to. */
const UNWRITABLE_ATTRIBUTES = new Set(['sub', 'email_verified', 'phone_number_verified']);

const UNIT_SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** A validity in seconds: `value` counted in `unit`, or `fallback` seconds when no value is set. */
function seconds(value: number | undefined, unit: TimeUnitsType | undefined, defaultUnit: TimeUnitsType, fallback: number): number {
  return value === undefined ? fallback : value * UNIT_SECONDS[unit ?? defaultUnit];
}

function checkExplicitAuthFlows(flows: readonly ExplicitAuthFlowsType[] | undefined): void {
  if (!flows) return;
  const allow = flows.some((flow) => flow.startsWith('ALLOW_'));
  const legacy = flows.some((flow) => !flow.startsWith('ALLOW_'));
  if (allow && legacy) {
    throw new InvalidParameterException("Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.");
  }
}

/**
 * Access and ID tokens last 5 minutes to 1 day, refresh tokens 60 minutes to 10 years, each
 * counted in its TokenValidityUnits (default hours, hours, days). A refresh validity of 0 means the
 * 30-day default.
 */
function checkTokenValidity(input: ClientSettings): void {
  const units = input.TokenValidityUnits ?? {};
  const access = seconds(input.AccessTokenValidity, units.AccessToken, 'hours', HOUR);
  const id = seconds(input.IdTokenValidity, units.IdToken, 'hours', HOUR);
  const refreshValue = input.RefreshTokenValidity === 0 ? undefined : input.RefreshTokenValidity;
  const refresh = seconds(refreshValue, units.RefreshToken, 'days', 30 * DAY);
  const outside = (value: number, min: number, max: number): boolean => value < min || value > max;
  if (outside(access, 5 * MINUTE, DAY) || outside(id, 5 * MINUTE, DAY) || outside(refresh, HOUR, 3650 * DAY)) {
    throw new InvalidParameterException('Invalid range for token validity.');
  }
  if (access > refresh || id > refresh) {
    throw new InvalidParameterException(
      'Access and Id Token expiration times must be less than or equal to refresh token expiration times.',
    );
  }
}

function checkAttributePermissions(input: ClientSettings, pool: UserPoolRecord, action: 'creating' | 'updating'): void {
  const schema = new Set((pool.config.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  // The "updating" wording is a best guess by analogy with the measured "creating" one.
  if (input.ReadAttributes?.some((name) => !schema.has(name))) {
    throw new InvalidParameterException(`Invalid read attributes specified while ${action} a client`);
  }
  if (input.WriteAttributes?.some((name) => !schema.has(name) || UNWRITABLE_ATTRIBUTES.has(name))) {
    throw new InvalidParameterException(`Invalid write attributes specified while ${action} a client`);
  }
}

/** Plain http is for local testing only: localhost, 127.0.0.1 and [::1], on any port. */
const LOCAL_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?([/?]|$)/i;

function checkRedirectUrls(urls: readonly string[] | undefined): void {
  for (const url of urls ?? []) {
    if (/^http:/i.test(url) && !LOCAL_HTTP.test(url)) throw new InvalidParameterException(`${url} cannot use the HTTP protocol.`);
    if (url.includes('#')) throw new InvalidParameterException(`${url} cannot use fragment`);
  }
}

function checkOAuth(input: ClientSettings, hasSecret: boolean): void {
  const flows = input.AllowedOAuthFlows ?? [];
  const scopes = input.AllowedOAuthScopes ?? [];
  const enabled = input.AllowedOAuthFlowsUserPoolClient === true;

  // These hold whether or not the client is enabled for OAuth (seen on AWS with the flag unset).
  if (flows.includes('client_credentials')) {
    if (flows.includes('code') || flows.includes('implicit')) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected along with code flow or implicit flow.');
    }
    if (!hasSecret) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected if client does not have a client secret.');
    }
    const standard = scopes.find((scope) => STANDARD_SCOPES.has(scope));
    if (standard !== undefined) throw new InvalidOAuthFlowException(`${standard} is not supported with client_credentials flow`);
  }
  if (enabled && (flows.length === 0 || scopes.length === 0)) {
    throw new InvalidParameterException(
      'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
  }
  // Custom scopes (`<resource server>/<scope>`) are checked against the pool's resource servers by
  // checkCustomScopes, which needs the store.
  const unknown = scopes.find((scope) => !STANDARD_SCOPES.has(scope) && !scope.includes('/'));
  if (unknown !== undefined) throw new ScopeDoesNotExistException(`Invalid scope requested: ${unknown}`);

  checkRedirectUrls(input.CallbackURLs);
  checkRedirectUrls(input.LogoutURLs);
  if (input.DefaultRedirectURI !== undefined && !(input.CallbackURLs ?? []).includes(input.DefaultRedirectURI)) {
    throw new InvalidParameterException(`The default redirect URI ${input.DefaultRedirectURI} is not in the callback URIs list.`);
  }
  if (enabled && (flows.includes('code') || flows.includes('implicit')) && (input.CallbackURLs ?? []).length === 0) {
    throw new InvalidOAuthFlowException('CallbackUrls can not be empty when code flow or implicit flow is selected');
  }
}

function checkAnalytics(input: ClientSettings): void {
  const analytics = input.AnalyticsConfiguration;
  if (!analytics) return;
  const byArn = analytics.ApplicationArn !== undefined;
  const byId = analytics.ApplicationId !== undefined || analytics.RoleArn !== undefined || analytics.ExternalId !== undefined;
  const complete = analytics.ApplicationId !== undefined && analytics.RoleArn !== undefined && analytics.ExternalId !== undefined;
  if (byArn === byId || (byId && !complete)) {
    throw new InvalidParameterException(
      'Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid',
    );
  }
}

/**
 * The stored configuration for a Create/UpdateUserPoolClient request, after the checks the model
 * cannot express. Both operations replace the whole configuration: members left out take their
 * defaults.
 *
 * @param hasSecret whether the client has (or gets) a client secret, which client_credentials needs
 */
export function clientConfig(
  input: ClientSettings,
  pool: UserPoolRecord,
  options: { hasSecret: boolean; action: 'creating' | 'updating' },
): UserPoolClientConfig {
  checkExplicitAuthFlows(input.ExplicitAuthFlows);
  checkTokenValidity(input);
  checkAttributePermissions(input, pool, options.action);
  checkOAuth(input, options.hasSecret);
  checkAnalytics(input);

  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as ClientSettings;
  return {
    ...given,
    RefreshTokenValidity: input.RefreshTokenValidity || 30,
    TokenValidityUnits: input.TokenValidityUnits ?? {},
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
  };
}

/**
 * Refuses custom scopes (`<identifier>/<scope name>`) that no resource server of the pool defines,
 * with ScopeDoesNotExistException "Invalid scope requested: <scope>". Scope names cannot contain
 * `/`, so the identifier (which can) is everything before the last one.
 */
export async function checkCustomScopes(services: Services, poolId: string, scopes: readonly string[] | undefined): Promise<void> {
  for (const scope of scopes ?? []) {
    if (STANDARD_SCOPES.has(scope)) continue;
    const slash = scope.lastIndexOf('/');
    const server = slash > 0 ? await services.store.resourceServers.get(poolId, scope.slice(0, slash)) : undefined;
    const name = scope.slice(slash + 1);
    if (!server?.scopes.some((defined) => defined.ScopeName === name)) {
      throw new ScopeDoesNotExistException(`Invalid scope requested: ${scope}`);
    }
  }
}

/** The SupportedIdentityProviders name of the pool's own users (managed login). */
const COGNITO_PROVIDER = 'COGNITO';

/**
 * Refuses SupportedIdentityProviders that name neither `COGNITO` nor a provider of the pool, with
 * Cognito's InvalidParameterException "The provider <name> does not exist for User Pool <pool id>."
 * (text from real CloudFormation and Terraform failures).
 */
export async function checkSupportedIdentityProviders(
  services: Services,
  poolId: string,
  providers: readonly string[] | undefined,
): Promise<void> {
  for (const name of providers ?? []) {
    if (name === COGNITO_PROVIDER) continue;
    if (!(await services.store.identityProviders.get(poolId, name))) {
      throw new InvalidParameterException(`The provider ${name} does not exist for User Pool ${poolId}.`);
    }
  }
}
