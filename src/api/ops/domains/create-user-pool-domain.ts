import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { DomainRecord } from '../../../store/ports.js';
import { checkCustomDomain, checkManagedLoginVersion, checkPrefixDomain, cloudFrontFor, versionAt } from './domain-shape.js';

/**
 * CreateUserPoolDomain: a prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) or, with
 * CustomDomainConfig, a custom domain. Names are unique across every pool ("Domain already
 * associated with another user pool.", quoted in many CloudFormation and Terraform reports); a pool
 * holds at most one domain of each kind. Only custom domains get a CloudFrontDomain back.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html
 */
export const createUserPoolDomain = defineOperation('CreateUserPoolDomain', async (input, { services }) => {
  const custom = input.CustomDomainConfig !== undefined;
  if (custom) checkCustomDomain(input.Domain);
  else checkPrefixDomain(input.Domain);
  checkManagedLoginVersion(input.ManagedLoginVersion);
  const pool = await requirePool(services, input.UserPoolId);

  const now = services.clock.now();
  const domain: DomainRecord = {
    domain: input.Domain,
    poolId: pool.id,
    kind: custom ? 'custom' : 'prefix',
    customDomainConfig: input.CustomDomainConfig
      ? {
          CertificateArn: input.CustomDomainConfig.CertificateArn,
          ...(input.CustomDomainConfig.SecurityPolicy ? { SecurityPolicy: input.CustomDomainConfig.SecurityPolicy } : {}),
        }
      : null,
    managedLoginVersion: input.ManagedLoginVersion ?? 1,
    cloudFrontDistribution: cloudFrontFor(input.Domain),
    version: versionAt(now),
    createdAt: now,
    updatedAt: now,
  };
  // The insert decides races; on refusal, find out which rule it broke.
  if (!(await services.store.domains.create(domain))) {
    const existing = await services.store.domains.listForPool(pool.id);
    if (existing.some((d) => d.kind === domain.kind)) {
      throw new InvalidParameterException('User pool already has a domain configured.');
    }
    throw new InvalidParameterException('Domain already associated with another user pool.');
  }
  return {
    ...(custom ? { CloudFrontDomain: domain.cloudFrontDistribution } : {}),
    ManagedLoginVersion: domain.managedLoginVersion,
  };
});
