import { InvalidPasswordException, NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { AdvancedSecurityModeType, EventFilterType } from '../generated/cognito-idp/shapes.js';
import { isBreachedPassword } from '../domain/breached-passwords.js';
import { possibleMfaFactors } from '../domain/mfa.js';
import { POOL_RISK_CONFIGURATION, ipInRanges, threatProtectionMode, type RiskSettings } from '../domain/threat-protection.js';
import type { Services } from '../services.js';
import type { DeviceRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import type { AuthContext } from './types.js';
import { newUuid } from '../lib/ids.js';
import { notifyRisk } from './risk-notification.js';

/*
 * Threat protection in the sign-in engine and the password operations: the IP lists of the risk
 * configuration, the compromised-credentials check and adaptive authentication's risk level, each
 * acting only in ENFORCED mode and recorded (never acting) in AUDIT mode. What a sign-in found goes
 * into its audit event, where AdminListUserAuthEvents reads it as EventRisk.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-compromised-credentials.html
 */

/** Cognito's answer to a sign-in that threat protection blocks (a blocked IP, compromised credentials). */
export function blockedSignIn(): NotAuthorizedException {
  return new NotAuthorizedException('Unable to login because of security reasons.');
}

/** A sign-in's risk level (adaptive authentication). */
export type RiskLevel = 'Low' | 'Medium' | 'High';

/** What threat protection found about one sign-in: the audit event's risk members. */
export interface RiskFinding {
  decision: 'NoRisk' | 'AccountTakeover' | 'Block';
  compromised: boolean;
  level?: RiskLevel;
  /** The EventId the sign-in's auth event takes: the one a risk notification's links name. */
  eventId?: string;
  /** The account-takeover action asks for MFA (MFA_REQUIRED, MFA_IF_CONFIGURED) and the pool offers a factor the user can answer. */
  mfa?: boolean;
}

const findings = new WeakMap<AuthContext, RiskFinding>();

/** Decisions by weight: a later check never lowers what an earlier one decided. */
const DECISION_WEIGHT: Readonly<Record<RiskFinding['decision'], number>> = { NoRisk: 0, AccountTakeover: 1, Block: 2 };

function note(ctx: AuthContext, finding: Partial<RiskFinding>): void {
  const current = findings.get(ctx) ?? { decision: 'NoRisk', compromised: false };
  const decision =
    finding.decision !== undefined && DECISION_WEIGHT[finding.decision] > DECISION_WEIGHT[current.decision]
      ? finding.decision
      : current.decision;
  findings.set(ctx, { ...current, ...finding, decision });
}

/**
 * The audit-event detail of what threat protection found in a sign-in, or nothing when the pool's
 * mode is OFF (Cognito assesses no risk then).
 */
export function riskDetail(ctx: AuthContext): Record<string, string> {
  if (threatProtectionMode(ctx.pool.config) === 'OFF') return {};
  const finding = findings.get(ctx) ?? { decision: 'NoRisk', compromised: false };
  return {
    riskDecision: finding.decision,
    compromised: String(finding.compromised),
    ...(finding.level !== undefined ? { riskLevel: finding.level } : {}),
  };
}

/**
 * Whether adaptive authentication asks this sign-in for a second factor: the risk level's action
 * is MFA_REQUIRED or MFA_IF_CONFIGURED and the pool offers a factor the user can answer. The MFA
 * step of the sign-in (src/auth/mfa.ts) reads it, so that such a sign-in is challenged even where
 * MFA is optional and the user has turned none on.
 */
export function riskRequiresMfa(ctx: AuthContext): boolean {
  return findings.get(ctx)?.mfa === true;
}

/** The EventId a risk notification gave this sign-in's auth event, for the audit log to record it under. */
export function riskEventId(ctx: AuthContext): { eventId?: string } {
  const eventId = findings.get(ctx)?.eventId;
  return eventId === undefined ? {} : { eventId };
}

/** The names a user's audit events may carry: as typed at sign-in (username or alias); the `sub` besides. */
export function signInNamesOf(user: UserRecord): string[] {
  const names = [user.username];
  for (const alias of ['email', 'phone_number', 'preferred_username']) {
    const value = user.attributes[alias];
    if (value !== undefined) names.push(value);
  }
  return names;
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
  // `block` is the configured verdict; only ENFORCED mode carries it out.
  return { mode, compromised: breached, block: breached && compromised.Actions.EventAction === 'BLOCK' };
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
  if (verdict.block && verdict.mode === 'ENFORCED') {
    throw new InvalidPasswordException('The password has been found in a data breach. Choose a different password.');
  }
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
  if (verdict.block && verdict.mode === 'ENFORCED') throw blockedSignIn();
}

/** How far back failed sign-ins count toward a user's failed-attempt velocity. */
const VELOCITY_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins in the window that are one risk signal, and that are two. */
const SOME_FAILURES = 3;
const MANY_FAILURES = 5;
/** How many of the user's recent sign-in events the signals look at. */
const HISTORY = 200;

/**
 * The risk signals Cognate can see in a sign-in that has passed its first factor, from the user's
 * sign-in history in the audit log: a new address (the user has signed in before, never from this
 * one), a new device (the user has remembered devices and this sign-in names none of them), and
 * the failed-attempt velocity (3 failed sign-ins in the last 15 minutes are one signal, 5 are two).
 * One signal is Low risk, two Medium, three or more High; none is no risk.
 */
async function riskLevel(ctx: AuthContext, user: UserRecord, device: DeviceRecord | undefined): Promise<RiskLevel | undefined> {
  const { services, pool } = ctx;
  const history = await services.store.auditEvents.listForUser({
    poolId: pool.id,
    usernames: signInNamesOf(user),
    sub: user.sub,
    events: ['SignIn'],
    limit: HISTORY,
  });
  const since = services.clock.now() - VELOCITY_WINDOW_MS;
  const failures = history.filter((event) => event.outcome === 'Fail' && event.at >= since).length;
  const passes = history.filter((event) => event.outcome === 'Pass');
  let signals = failures >= MANY_FAILURES ? 2 : failures >= SOME_FAILURES ? 1 : 0;
  if (passes.length > 0 && !passes.some((event) => event.sourceIp === ctx.sourceIp)) signals += 1;
  if (
    !device &&
    (await services.store.devices.listForUser(pool.id, user.usernameKey, 1, undefined, { rememberedStatus: 'remembered' })).length > 0
  ) {
    signals += 1;
  }
  if (signals === 0) return undefined;
  return signals === 1 ? 'Low' : signals === 2 ? 'Medium' : 'High';
}

/**
 * Adaptive authentication, once the first factor has passed: the sign-in's risk level and the
 * account-takeover action the risk configuration gives that level. In ENFORCED mode BLOCK refuses
 * the sign-in, and so does MFA_REQUIRED for a user who can answer none of the pool's MFA factors
 * (Cognito's rule); MFA_REQUIRED and MFA_IF_CONFIGURED ask for MFA from a user who can (`riskRequiresMfa`);
 * NO_ACTION lets it through. With the action's `Notify`, the user is told (src/auth/risk-notification.ts).
 * In AUDIT mode the level is only recorded, and nobody is notified.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-adaptive-authentication.html
 */
export async function assessSignInRisk(
  ctx: AuthContext,
  user: UserRecord,
  options: { device?: DeviceRecord | undefined; customAuth?: boolean | undefined },
): Promise<void> {
  const mode = threatProtectionMode(ctx.pool.config, options.customAuth ? 'custom' : 'standard');
  if (mode === 'OFF') return;
  const settings = await effectiveRiskSettings(ctx.services, ctx.pool.id, ctx.client.clientId);
  const takeover = settings.AccountTakeoverRiskConfiguration;
  if (!takeover || ipInRanges(ctx.sourceIp, settings.RiskExceptionConfiguration?.SkippedIPRangeList)) return;
  const level = await riskLevel(ctx, user, options.device);
  if (level === undefined) return;
  const action = { Low: takeover.Actions.LowAction, Medium: takeover.Actions.MediumAction, High: takeover.Actions.HighAction }[level];
  const eventAction = action?.EventAction ?? 'NO_ACTION';
  // MFA is possible when the pool offers a factor the user can answer, turned on or not.
  const mfaPossible = possibleMfaFactors(ctx.pool.config, user).length > 0;
  const blocks = eventAction === 'BLOCK' || (eventAction === 'MFA_REQUIRED' && !mfaPossible);
  const mfa = (eventAction === 'MFA_REQUIRED' || eventAction === 'MFA_IF_CONFIGURED') && mfaPossible;
  note(ctx, { level, decision: blocks ? 'Block' : 'AccountTakeover' });
  if (mode !== 'ENFORCED') return;
  if (action?.Notify === true && takeover.NotifyConfiguration) {
    const eventId = newUuid();
    note(ctx, { eventId });
    const response = blocks ? 'BLOCK' : mfa ? 'MFA' : 'NO_ACTION';
    await notifyRisk(ctx, user, { notify: takeover.NotifyConfiguration, action: eventAction, response, eventId, device: options.device });
  }
  if (blocks) throw blockedSignIn();
  if (mfa) note(ctx, { mfa: true });
}
