import { defineIamOperation } from '../../define-operation.js';
import { requireSamlProvider } from './saml-providers.js';

/**
 * DeleteSAMLProvider: identity pools that list it refuse its logins from then on.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteSAMLProvider.html
 */
export const deleteSamlProvider = defineIamOperation('DeleteSAMLProvider', async (input, { services }) => {
  const provider = await requireSamlProvider(services, input.SAMLProviderArn);
  await services.store.iam.deleteSamlProviderByArn(provider.arn);
  return {};
});
