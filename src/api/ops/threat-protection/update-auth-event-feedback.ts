import { defineOperation } from '../../define-operation.js';
import { requirePool, requireUser } from '../../lookup.js';
import { NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import { isFeedbackToken, recordFeedback, requireThreatProtection } from './auth-events.js';

/**
 * UpdateAuthEventFeedback: the user marks an auth event Valid or Invalid with the FeedbackToken of
 * that event (sealed, bound to the pool, the user and the event; see `feedbackToken`), with no
 * credentials otherwise. The provider recorded is `User`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateAuthEventFeedback.html
 */
export const updateAuthEventFeedback = defineOperation('UpdateAuthEventFeedback', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await requireUser(services, pool, input.Username);
  if (!isFeedbackToken(services, input.FeedbackToken, pool.id, user.sub, input.EventId)) {
    throw new NotAuthorizedException('The feedback token is not valid for this event.');
  }
  await recordFeedback(services, { pool, user, eventId: input.EventId }, input.FeedbackValue, 'User');
  return {};
});
