import { defineOperation } from '../../define-operation.js';
import { requirePool, requireUser } from '../../lookup.js';
import { recordFeedback, requireThreatProtection } from './auth-events.js';

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
  await recordFeedback(services, { pool, user, eventId: input.EventId }, input.FeedbackValue, 'Admin');
  return {};
});
