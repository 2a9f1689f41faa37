import { randomUUID } from 'node:crypto';
import { defineIamOperation } from '../../define-operation.js';
import { EntityAlreadyExistsException } from '../../../generated/iam/errors.js';
import type { IamSamlProviderRecord } from '../../../store/ports.js';
import { refuseUnkept } from './iam-shapes.js';
import { samlProviderMetadata } from './saml-providers.js';

/**
 * CreateSAMLProvider: an IdP's SAML metadata (checked: an IdP entity with its signing
 * certificates) under `arn:aws:iam::<account>:saml-provider/<name>`. Names are unique regardless of
 * case. Assertion encryption (AddPrivateKey) is not kept.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html
 */
export const createSamlProvider = defineIamOperation('CreateSAMLProvider', async (input, { services }) => {
  refuseUnkept(input);
  const now = services.clock.now();
  samlProviderMetadata(input.SAMLMetadataDocument, now);
  const provider: IamSamlProviderRecord = {
    name: input.Name,
    arn: `arn:aws:iam::${services.config.accountId}:saml-provider/${input.Name}`,
    uuid: randomUUID(),
    metadata: input.SAMLMetadataDocument,
    createdAt: now,
  };
  if (!(await services.store.iam.createSamlProvider(provider)))
    throw new EntityAlreadyExistsException(`SAMLProvider with name ${input.Name} already exists.`);
  return { SAMLProviderArn: provider.arn };
});
