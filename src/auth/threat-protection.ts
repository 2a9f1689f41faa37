import { InvalidPasswordException, NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { AdvancedSecurityModeType, EventFilterType } from '../generated/cognito-idp/shapes.js';
import { isBreachedPassword } from '../domain/breached-passwords.js';
import { POOL_RISK_CONFIGURATION, ipInRanges, threatProtectionMode, type RiskSettings } from '../domain/threat-protection.js';
import type { Services } from '../services.js';
import type { UserPoolRecord } from '../store/ports.js';
import type { AuthContext } from './types.js';

/*
 * Threat protection in the sign-in engine and the password operations: the IP lists of the risk
 * configuration and the compromised-credentials check, each acting only in ENFORCED mode and
 * recorded (never acting) in AUDIT mode. What a sign-in found goes into its audit event, where
 * AdminListUserAuthEvents reads it as EventRisk.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-compromised-credentials.html
 */

/** Cognito's answer to a sign-in that threat protection blocks (a blocked IP, compromised credentials). */
export function blockedSignIn(): NotAuthorizedException {
  return new NotAuthorizedException('Unable to login because of security reasons.');
}

/** What threat protection found about one sign-in: the audit event's risk members. */
export interface RiskFinding {
  decision: 'NoRisk' | 'Block';
  compromised: boolean;
}

const findings = new WeakMap<AuthContext, RiskFinding>();

function note(ctx: AuthContext, finding: Partial<RiskFinding>): void {
  const current = findings.get(ctx) ?? { decision: 'NoRisk', compromised: false };
  findings.set(ctx, { ...current, ...finding });
}

/**
 * The audit-event detail of what threat protection found in a sign-in, or nothing when the pool's
 * mode is OFF (Cognito assesses no risk then).
 */
export function riskDetail(ctx: AuthContext): Record<string, string> {
  if (threatProtectionMode(ctx.pool.config) === 'OFF') return {};
  const finding = findings.get(ctx) ?? { decision: 'NoRisk', compromised: false };
  return { riskDecision: finding.decision, compromised: String(finding.compromised) };
}

/**
 * The risk configuration that applies to an app client: its own when SetRiskConfiguration gave it
 * one, otherwise the pool's default (client-level settings replace the pool's whole, they are not
 * merged).
 */
export async function effectiveRiskSettings(services: Services, poolId: string, clientId: string | undefined): Promise<RiskSettings> {
  const own = clientId === undefined ? undefined : await services.store.riskConfigurations.get(poolId, clientId);
  const record = own ?? (await services.store.riskConfigurations.get(poolId, POOL_RISK_CONFIGURATION));
  return record?.config ?? {};
}

/**
 * The IP lists, before a sign-in's first step: an address in SkippedIPRangeList skips every risk
 * check; one in BlockedIPRangeList is refused in ENFORCED mode (and only noted in AUDIT mode).
 * Returns whether risk checks apply to this sign-in.
 */
export async function screenSignInAddress(ctx: AuthContext, flow: 'standard' | 'custom'): Promise<boolean> {
  const mode = threatProtectionMode(ctx.pool.config, flow);
  if (mode === 'OFF') return false;
  const { RiskExceptionConfiguration: exceptions } = await effectiveRiskSettings(ctx.services, ctx.pool.id, ctx.client.clientId);
  if (ipInRanges(ctx.sourceIp, exceptions?.SkippedIPRangeList)) return false;
  if (ipInRanges(ctx.sourceIp, exceptions?.BlockedIPRangeList)) {
    note(ctx, { decision: 'Block' });
    if (mode === 'ENFORCED') throw blockedSignIn();
  }
  return true;
}

/** Where a password is being checked: who asks, from where, for which event. */
export interface PasswordCheck {
  pool: UserPoolRecord;
  clientId: string | undefined;
  sourceIp: string;
  event: EventFilterType;
  password: string;
}

/**
 * The compromised-credentials verdict on a password: whether the pool's mode and the risk
 * configuration check this event at all, and whether the password is in the shipped breach corpus
 * (src/domain/breached-passwords.ts) and the configured action blocks it.
 */
async function judgePassword(
  services: Services,
  check: PasswordCheck,
): Promise<{ mode: AdvancedSecurityModeType; compromised: boolean; block: boolean }> {
  const mode = threatProtectionMode(check.pool.config);
  if (mode === 'OFF') return { mode, compromised: false, block: false };
  const settings = await effectiveRiskSettings(services, check.pool.id, check.clientId);
  if (ipInRanges(check.sourceIp, settings.RiskExceptionConfiguration?.SkippedIPRangeList))
    return { mode, compromised: false, block: false };
  const compromised = settings.CompromisedCredentialsRiskConfiguration;
  if (!compromised || !(compromised.EventFilter ?? []).includes(check.event)) return { mode, compromised: false, block: false };
  const breached = isBreachedPassword(check.password);
  return { mode, compromised: breached, block: breached && mode === 'ENFORCED' && compromised.Actions.EventAction === 'BLOCK' };
}

/**
 * Checks a new password (SignUp, ChangePassword, ConfirmForgotPassword) against the breach corpus:
 * refused with InvalidPasswordException when the configuration blocks it in ENFORCED mode;
 * otherwise a finding is only logged (never the password).
 */
export async function checkNewPassword(services: Services, check: PasswordCheck): Promise<void> {
  const verdict = await judgePassword(services, check);
  if (!verdict.compromised) return;
  services.logger.warn(
    { poolId: check.pool.id, clientId: check.clientId, event: check.event, mode: verdict.mode },
    'compromised credentials detected',
  );
  if (verdict.block) throw new InvalidPasswordException('The password has been found in a data breach. Choose a different password.');
}

/**
 * Checks the password of a sign-in that has just been verified (a password in clear: SRP never
 * shows the server the password, so Cognito cannot check those sign-ins either). Blocked in
 * ENFORCED mode with BLOCK; the finding goes into the sign-in's audit event in any mode.
 */
export async function checkSignInPassword(ctx: AuthContext, password: string): Promise<void> {
  const verdict = await judgePassword(ctx.services, {
    pool: ctx.pool,
    clientId: ctx.client.clientId,
    sourceIp: ctx.sourceIp,
    event: 'SIGN_IN',
    password,
  });
  if (!verdict.compromised) return;
  note(ctx, { compromised: true, ...(verdict.block ? { decision: 'Block' as const } : {}) });
  if (verdict.block) throw blockedSignIn();
}
