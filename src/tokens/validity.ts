import type { TimeUnitsType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolClientRecord } from '../store/ports.js';

const UNIT_MS: Record<TimeUnitsType, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * A client's token lifetimes in milliseconds. Values count in the client's TokenValidityUnits;
 * Cognito's defaults are 60 minutes for ID and access tokens and 30 days for refresh tokens, and a
 * refresh validity of 0 means the default.
 */
export function tokenLifetimes(client: UserPoolClientRecord): { id: number; access: number; refresh: number } {
  const c = client.config;
  const units = c.TokenValidityUnits ?? {};
  return {
    id: (c.IdTokenValidity ?? 60) * UNIT_MS[units.IdToken ?? 'minutes'],
    access: (c.AccessTokenValidity ?? 60) * UNIT_MS[units.AccessToken ?? 'minutes'],
    refresh: (c.RefreshTokenValidity || 30) * UNIT_MS[units.RefreshToken ?? 'days'],
  };
}
