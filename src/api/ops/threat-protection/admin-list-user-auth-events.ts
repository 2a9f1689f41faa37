import { defineOperation } from '../../define-operation.js';
import { requirePool, requireUser } from '../../lookup.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { AUTH_EVENT_TYPES } from '../../../domain/auth-events.js';
import { requireThreatProtection, toAuthEventType } from './auth-events.js';
import { signInNamesOf } from '../../../auth/threat-protection.js';

/**
 * AdminListUserAuthEvents: a user's sign-ins, sign-ups and password events, newest first, with
 * their outcome, risk, address and feedback, from the audit log. Only while the pool's threat
 * protection is on (AUDIT or ENFORCED): otherwise UserPoolAddOnNotEnabledException.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListUserAuthEvents.html
 */
export const adminListUserAuthEvents = defineOperation('AdminListUserAuthEvents', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  requireThreatProtection(pool);
  const user = await requireUser(services, pool, input.Username);
  const after = decodePageToken(input.NextToken, requestId);
  const beforeId = after === undefined ? undefined : Number(after);
  if (beforeId !== undefined && !Number.isSafeInteger(beforeId)) {
    throw new InvalidParameterException(`Paging marker ${input.NextToken ?? ''} is invalid for request ${requestId}`);
  }
  const size = pageSize(input.MaxResults);
  const rows = await services.store.auditEvents.listForUser({
    poolId: pool.id,
    usernames: [...new Set([...signInNamesOf(user), input.Username])],
    sub: user.sub,
    events: Object.keys(AUTH_EVENT_TYPES),
    ...(beforeId !== undefined ? { beforeId } : {}),
    limit: size + 1,
  });
  const page = slicePage(rows, size, (row) => String(row.id));
  return {
    AuthEvents: page.items.flatMap((row) => (row.eventId === null ? [] : [toAuthEventType({ ...row, eventId: row.eventId })])),
    ...(page.next !== undefined ? { NextToken: page.next } : {}),
  };
});
