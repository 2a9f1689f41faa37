import { defineIamOperation } from '../../define-operation.js';
import { seconds } from './iam-shapes.js';
import { requireSamlProvider } from './saml-providers.js';

/**
 * GetSAMLProvider: the provider's metadata document, creation date and UUID.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetSAMLProvider.html
 */
export const getSamlProvider = defineIamOperation('GetSAMLProvider', async (input, { services }) => {
  const provider = await requireSamlProvider(services, input.SAMLProviderArn);
  return { SAMLProviderUUID: provider.uuid, SAMLMetadataDocument: provider.metadata, CreateDate: seconds(provider.createdAt) };
});
