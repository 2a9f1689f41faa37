import type { AccountTakeoverEventActionType, NotifyConfigurationType } from '../generated/cognito-idp/shapes.js';
import { notificationAddresses } from '../messaging/addresses.js';
import { notificationTemplate, renderNotification, type RiskResponse } from '../messaging/notification-templates.js';
import { sendNotification } from '../messaging/send.js';
import type { Services } from '../services.js';
import type { DeviceRecord, UserRecord } from '../store/ports.js';
import type { AuthContext } from './types.js';

/*
 * Adaptive authentication's notification: when the action of a sign-in's risk level has
 * `Notify: true`, the user gets the NotifyConfiguration email of what was done (blocked, MFA, no
 * action), whose one-click links carry the sign-in event's feedback token to the `/riskFeedback`
 * page (src/pages/risk-feedback.ts), which records the user's verdict as UpdateAuthEventFeedback does.
 */

/** The path of the one-click links, under the pool's pages (src/pages/risk-feedback.ts serves it). */
export const RISK_FEEDBACK_PATH = '/riskFeedback';

/** How long the local inbox keeps a notification (it holds no code that expires). */
const NOTIFICATION_KEPT_MS = 24 * 60 * 60_000;

/** Where Cognate has nothing to say: no geolocation of addresses, no device name for a new device. */
const UNKNOWN = 'Unknown';

function feedbackContext(poolId: string, sub: string): string {
  return `auth-event-feedback:${poolId}:${sub}`;
}

/**
 * The FeedbackToken of one auth event of one user: the event's ID sealed under the master key,
 * bound to the pool and the user, so it judges that event only. Cognito puts it in the links of
 * its risk notification emails.
 */
export function feedbackToken(services: Services, poolId: string, sub: string, eventId: string): string {
  return services.sealer.seal(eventId, feedbackContext(poolId, sub));
}

/** Whether `token` is the feedback token of this user's event. */
export function isFeedbackToken(services: Services, token: string, poolId: string, sub: string, eventId: string): boolean {
  return services.sealer.openString(token, feedbackContext(poolId, sub)) === eventId;
}

/** The one-click link that marks the event `value` (the `/riskFeedback` page of the pool, by path). */
function oneClickLink(ctx: AuthContext, user: UserRecord, eventId: string, token: string, value: 'valid' | 'invalid'): string {
  const query = new URLSearchParams({ user_name: user.username, event_id: eventId, feedback_token: token, feedback_value: value });
  return `${ctx.services.publicUrl()}/${ctx.pool.id}${RISK_FEEDBACK_PATH}?${query.toString()}`;
}

/** What happened to a risky sign-in, as the notification tells it. */
export interface RiskNotice {
  notify: NotifyConfigurationType;
  action: AccountTakeoverEventActionType;
  response: RiskResponse;
  /** The EventId the sign-in's auth event will have. */
  eventId: string;
  device: DeviceRecord | undefined;
}

/**
 * Sends the user the notification of a risky sign-in (to the `email` attribute; a user without
 * one gets none), or hands it to the pool's custom email sender. Never fails the sign-in.
 */
export async function notifyRisk(ctx: AuthContext, user: UserRecord, notice: RiskNotice): Promise<void> {
  const destination = user.attributes['email'];
  if (!destination) return;
  const { services, pool } = ctx;
  const token = feedbackToken(services, pool.id, user.sub, notice.eventId);
  const now = services.clock.now();
  const values = {
    username: user.username,
    ipAddress: ctx.sourceIp,
    city: UNKNOWN,
    country: UNKNOWN,
    loginTime: new Date(now).toISOString(),
    deviceName: notice.device?.name ?? UNKNOWN,
    validLink: oneClickLink(ctx, user, notice.eventId, token, 'valid'),
    invalidLink: oneClickLink(ctx, user, notice.eventId, token, 'invalid'),
  };
  const email = renderNotification(notificationTemplate(notice.notify, notice.response), values);
  const addresses = notificationAddresses(notice.notify, services.config.emailFrom);
  await sendNotification(services, pool, user, {
    destination,
    ...email,
    from: addresses.from,
    replyTo: addresses.replyTo,
    expiresAt: now + NOTIFICATION_KEPT_MS,
    clientId: ctx.client.clientId,
    senderAttributes: {
      EVENT_ID: notice.eventId,
      USER_NAME: user.username,
      IP_ADDRESS: ctx.sourceIp,
      ACCOUNT_TAKE_OVER_ACTION: notice.action,
      ONE_CLICK_LINK_VALID: values.validLink,
      ONE_CLICK_LINK_INVALID: values.invalidLink,
      LOGIN_TIME: values.loginTime,
      FEEDBACK_TOKEN: token,
      ...(notice.device?.name ? { DEVICE_NAME: notice.device.name } : {}),
    },
  });
}
