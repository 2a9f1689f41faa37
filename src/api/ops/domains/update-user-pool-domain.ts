import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { DomainRecord } from '../../../store/ports.js';
import { checkManagedLoginVersion, requireDomainOfPool, versionAt } from './domain-shape.js';

/**
 * UpdateUserPoolDomain: changes the managed login version and, for a custom domain, its
 * certificate. The name never changes. CloudFrontDomain comes back for custom domains only.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolDomain.html
 */
export const updateUserPoolDomain = defineOperation('UpdateUserPoolDomain', async (input, { services }) => {
  checkManagedLoginVersion(input.ManagedLoginVersion);
  const pool = await requirePool(services, input.UserPoolId);
  const domain = await requireDomainOfPool(services, pool.id, input.Domain);
  if (input.CustomDomainConfig && domain.kind !== 'custom') {
    throw new InvalidParameterException('CustomDomainConfig can only be set for a custom domain.');
  }
  const now = services.clock.now();
  const updated: DomainRecord = {
    ...domain,
    customDomainConfig: input.CustomDomainConfig
      ? {
          CertificateArn: input.CustomDomainConfig.CertificateArn,
          ...(input.CustomDomainConfig.SecurityPolicy ? { SecurityPolicy: input.CustomDomainConfig.SecurityPolicy } : {}),
        }
      : domain.customDomainConfig,
    managedLoginVersion: input.ManagedLoginVersion ?? domain.managedLoginVersion,
    version: versionAt(now),
    updatedAt: now,
  };
  await services.store.domains.update(updated);
  return {
    ...(updated.kind === 'custom' ? { CloudFrontDomain: updated.cloudFrontDistribution } : {}),
    ManagedLoginVersion: updated.managedLoginVersion,
  };
});
