import { InvalidInputException, NoSuchEntityException } from '../../../generated/iam/errors.js';
import { parseIdpMetadata, type SamlIdpMetadata } from '../../../oauth/federation/saml-metadata.js';
import type { IamSamlProviderRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/**
 * IAM's SAML providers: an IdP's metadata document under an ARN, which identity pools list in
 * SamlProviderARNs. The metadata is read with the user pools' SAML machinery
 * (src/oauth/federation/saml-metadata.ts). The texts are best guesses: AWS's are not on record.
 */

/** The IdP's metadata as the SAML verifier takes it, or InvalidInput for a document it cannot use. */
export function samlProviderMetadata(document: string, now: number): SamlIdpMetadata {
  try {
    return parseIdpMetadata(document, now);
  } catch {
    throw new InvalidInputException('Could not parse metadata');
  }
}

/** The SAML provider of that ARN, or IAM's NoSuchEntity. */
export async function requireSamlProvider(services: Services, arn: string): Promise<IamSamlProviderRecord> {
  const provider = await services.store.iam.getSamlProviderByArn(arn);
  if (!provider) throw new NoSuchEntityException(`SAMLProvider ${arn} does not exist.`);
  return provider;
}
