import { defineOperation } from '../../define-operation.js';
import { requirePool, requireUser } from '../../lookup.js';
import { requireAuthEvent, requireThreatProtection } from './auth-events.js';

/**
 * AdminUpdateAuthEventFeedback: an administrator marks one of a user's auth events Valid or
 * Invalid (provider `Admin`), replacing any earlier feedback.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateAuthEventFeedback.html
 */
export const adminUpdateAuthEventFeedback = defineOperation('AdminUpdateAuthEventFeedback', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await requireUser(services, pool, input.Username);
  await requireAuthEvent(services, pool, user, input.EventId);
  await services.store.auditEvents.setFeedback(pool.id, input.EventId, {
    value: input.FeedbackValue,
    provider: 'Admin',
    at: services.clock.now(),
  });
  return {};
});
