import { ResourceNotFoundException, UserPoolAddOnNotEnabledException } from '../../../generated/cognito-idp/errors.js';
import type { AuthEventType, ChallengeResponseType, FeedbackValueType } from '../../../generated/cognito-idp/shapes.js';
import { threatProtectionMode } from '../../../domain/threat-protection.js';
import { AUTH_EVENT_TYPES } from '../../../domain/auth-events.js';
import { epochSeconds } from '../../../lib/clock.js';
import type { Services } from '../../../services.js';
import type { StoredAuditEvent, UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { signInNamesOf } from '../../../auth/threat-protection.js';

/*
 * The auth events of AdminListUserAuthEvents and the feedback operations, read from the audit log
 * (src/audit/audit-log.ts): which audit events are auth events, how each one reads as an
 * AuthEventType, and the feedback token that lets a user judge an event of their own.
 */

/** Cognito's answer when the pool's threat protection is OFF: there are no auth events to read or judge. */
export function requireThreatProtection(pool: UserPoolRecord): void {
  if (threatProtectionMode(pool.config) === 'OFF') {
    throw new UserPoolAddOnNotEnabledException('Advanced security features are not enabled for this user pool.');
  }
}

/** MFA challenges answer as `Mfa`; every other step of a sign-in as `Password`. */
const MFA_CHALLENGES = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SMS_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP']);

function challengeResponses(event: StoredAuditEvent): ChallengeResponseType[] | undefined {
  if (event.event !== 'SignIn') return undefined;
  const challenge = event.detail?.['challenge'];
  return [
    {
      ChallengeName: challenge !== undefined && MFA_CHALLENGES.has(challenge) ? 'Mfa' : 'Password',
      ChallengeResponse: event.outcome === 'Fail' ? 'Failure' : 'Success',
    },
  ];
}

/** One audit event as AdminListUserAuthEvents shows it. */
export function toAuthEventType(event: StoredAuditEvent & { eventId: string }): AuthEventType {
  const detail = event.detail ?? {};
  const decision = detail['riskDecision'];
  const level = detail['riskLevel'];
  const responses = challengeResponses(event);
  return {
    EventId: event.eventId,
    EventType: AUTH_EVENT_TYPES[event.event] ?? 'SignIn',
    CreationDate: epochSeconds(event.at),
    EventResponse: event.outcome,
    EventRisk:
      decision === 'NoRisk' || decision === 'AccountTakeover' || decision === 'Block'
        ? {
            RiskDecision: decision,
            ...(level === 'Low' || level === 'Medium' || level === 'High' ? { RiskLevel: level } : {}),
            CompromisedCredentialsDetected: detail['compromised'] === 'true',
          }
        : {},
    ...(responses ? { ChallengeResponses: responses } : {}),
    EventContextData: event.sourceIp !== null ? { IpAddress: event.sourceIp } : {},
    ...(event.feedback
      ? {
          EventFeedback: {
            FeedbackValue: event.feedback.value,
            Provider: event.feedback.provider,
            FeedbackDate: epochSeconds(event.feedback.at),
          },
        }
      : {}),
  };
}

/** Whether an audit event is this user's auth event. */
function belongsTo(event: StoredAuditEvent, user: UserRecord): boolean {
  if (!(event.event in AUTH_EVENT_TYPES)) return false;
  return event.sub === user.sub || (event.username !== null && signInNamesOf(user).includes(event.username));
}

/** The user's auth event with this EventId, or Cognito's ResourceNotFoundException. */
export async function requireAuthEvent(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  eventId: string,
): Promise<StoredAuditEvent> {
  const event = await services.store.auditEvents.getByEventId(pool.id, eventId);
  if (!event || !belongsTo(event, user)) throw new ResourceNotFoundException(`Auth event ${eventId} does not exist.`);
  return event;
}

/** Records a verdict on the user's auth event `eventId`, which must exist (else ResourceNotFoundException). */
export async function recordFeedback(
  services: Services,
  target: { pool: UserPoolRecord; user: UserRecord; eventId: string },
  value: FeedbackValueType,
  provider: 'Admin' | 'User',
): Promise<void> {
  await requireAuthEvent(services, target.pool, target.user, target.eventId);
  await services.store.auditEvents.setFeedback(target.pool.id, target.eventId, { value, provider, at: services.clock.now() });
}

// The feedback token is made in the sign-in engine (risk notifications carry it) and checked here.
export { feedbackToken, isFeedbackToken } from '../../../auth/risk-notification.js';
