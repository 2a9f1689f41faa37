import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentity, toIdentityDescription } from './identity-shape.js';

/**
 * DescribeIdentity: an identity's linked providers, creation and last-modified dates.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentity.html
 */
export const describeIdentity = defineIdentityOperation('DescribeIdentity', async (input, { services }) =>
  toIdentityDescription(await requireIdentity(services, input.IdentityId)),
);
