import { defineOperation } from '../../define-operation.js';
import { toDomainDescription } from './domain-shape.js';

/**
 * DescribeUserPoolDomain: looks a domain up by name alone. An unknown domain is not an error:
 * Cognito answers `{"DomainDescription": {}}`, which Terraform and CDK test for.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolDomain.html
 */
export const describeUserPoolDomain = defineOperation('DescribeUserPoolDomain', async (input, { services }) => {
  const domain = await services.store.domains.get(input.Domain);
  if (!domain) return { DomainDescription: {} };
  const pool = await services.store.pools.get(domain.poolId);
  return { DomainDescription: toDomainDescription(services, domain, pool) };
});
