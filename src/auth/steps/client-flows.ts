import type { AuthFlowType, ExplicitAuthFlowsType } from '../../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import type { UserPoolClientRecord } from '../../store/ports.js';
import type { AuthApi } from '../types.js';
import { effectiveExplicitAuthFlows } from '../../api/ops/clients/client-config.js';

/**
 * Which API each flow belongs to: USER_PASSWORD_AUTH is InitiateAuth's, ADMIN_USER_PASSWORD_AUTH and
 * its legacy name ADMIN_NO_SRP_AUTH are AdminInitiateAuth's, the rest work on both.
 */
const FLOW_APIS: Record<AuthFlowType, readonly AuthApi[]> = {
  USER_SRP_AUTH: ['public', 'admin'],
  REFRESH_TOKEN_AUTH: ['public', 'admin'],
  REFRESH_TOKEN: ['public', 'admin'],
  CUSTOM_AUTH: ['public', 'admin'],
  // Managed login runs it for passkeys (PREFERRED_CHALLENGE WEB_AUTHN).
  USER_AUTH: ['public', 'admin', 'hosted'],
  // Managed login signs in with the password in clear, as USER_PASSWORD_AUTH does.
  USER_PASSWORD_AUTH: ['public', 'hosted'],
  ADMIN_USER_PASSWORD_AUTH: ['admin'],
  ADMIN_NO_SRP_AUTH: ['admin'],
};

/**
 * Refuses a flow the operation does not offer, with Cognito's text (AWS support confirmed the split
 * in https://github.com/getmoto/moto/issues/4623; message from
 * https://github.com/awsdocs/aws-doc-sdk-examples/issues/5289).
 */
export function assertFlowOnApi(flow: AuthFlowType, api: AuthApi): void {
  if (!FLOW_APIS[flow].includes(api)) throw new InvalidParameterException('Initiate Auth method not supported.');
}

const LEGACY_NAMES: readonly ExplicitAuthFlowsType[] = ['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH'];

/** A flow the client's ExplicitAuthFlows enables, with the ALLOW_ name and the legacy names that stand for it. */
function enabled(flows: readonly ExplicitAuthFlowsType[], flow: AuthFlowType): boolean {
  const has = (...names: ExplicitAuthFlowsType[]): boolean => names.some((n) => flows.includes(n));
  // Before the ALLOW_ names, SRP, custom auth and refresh were always on; a client configured only
  // with legacy names keeps them.
  const legacyOnly = flows.every((f) => LEGACY_NAMES.includes(f));
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      return has('ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH');
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      return has('ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH');
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return has('ALLOW_REFRESH_TOKEN_AUTH') || legacyOnly;
    case 'USER_SRP_AUTH':
      return has('ALLOW_USER_SRP_AUTH') || (legacyOnly && !has('CUSTOM_AUTH_FLOW_ONLY'));
    case 'CUSTOM_AUTH':
      return has('ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY') || legacyOnly;
    case 'USER_AUTH':
      return has('ALLOW_USER_AUTH');
  }
}

/**
 * Cognito's refusal of a flow the client does not enable. Confirmed texts: USER_PASSWORD_AUTH's and
 * the admin password flows' "Auth flow not enabled for this client" (widely quoted responses). The
 * SRP and refresh texts are best guesses.
 */
function notEnabled(flow: AuthFlowType): InvalidParameterException {
  switch (flow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      return new InvalidParameterException('Auth flow not enabled for this client');
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return new InvalidParameterException('Refresh Token flow not enabled for this client');
    case 'USER_SRP_AUTH':
      return new InvalidParameterException('USER_SRP_AUTH is not enabled for the client.');
    default:
      return new InvalidParameterException(`${flow} flow not enabled for this client`);
  }
}

/** True when the client rotates refresh tokens (which only GetTokensFromRefreshToken can do). */
export function rotatesRefreshTokens(client: UserPoolClientRecord): boolean {
  return client.config.RefreshTokenRotation?.Feature === 'ENABLED';
}

/**
 * Refuses a flow the app client does not enable. REFRESH_TOKEN_AUTH is also refused on clients that
 * rotate refresh tokens: rotation only happens through GetTokensFromRefreshToken.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export function assertFlowEnabled(client: UserPoolClientRecord, flow: AuthFlowType, api?: AuthApi): void {
  // Managed login does not need ALLOW_USER_PASSWORD_AUTH: ExplicitAuthFlows govern the API only.
  if (api === 'hosted') return;
  const flows = effectiveExplicitAuthFlows(client);
  if (!enabled(flows, flow)) throw notEnabled(flow);
  if ((flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') && rotatesRefreshTokens(client)) throw notEnabled(flow);
}
