import type { TimeUnitsType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolClientRecord } from '../store/ports.js';

const UNIT_MS: Record<TimeUnitsType, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

const HOUR_MS = 3_600_000;
const DEFAULT_REFRESH_MS = 30 * 86_400_000;

/**
 * A client's token lifetimes in milliseconds. Values count in the client's TokenValidityUnits,
 * whose defaults are hours for ID and access tokens and days for refresh tokens; a client without
 * a value gets Cognito's defaults, 60 minutes and 30 days, and a refresh validity of 0 means 30 days.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html
 */
export function tokenLifetimes(client: UserPoolClientRecord): { id: number; access: number; refresh: number } {
  const c = client.config;
  const units = c.TokenValidityUnits ?? {};
  return {
    id: c.IdTokenValidity === undefined ? HOUR_MS : c.IdTokenValidity * UNIT_MS[units.IdToken ?? 'hours'],
    access: c.AccessTokenValidity === undefined ? HOUR_MS : c.AccessTokenValidity * UNIT_MS[units.AccessToken ?? 'hours'],
    refresh: c.RefreshTokenValidity ? c.RefreshTokenValidity * UNIT_MS[units.RefreshToken ?? 'days'] : DEFAULT_REFRESH_MS,
  };
}
