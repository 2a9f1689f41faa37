import { ResourceNotFoundException, TermsExistsException } from '../../../generated/cognito-idp/errors.js';
import type { TermsDescriptionType, TermsType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { TermsRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';

/** The TermsType of Create/Describe/UpdateTerms. */
export function toTermsType(terms: TermsRecord): TermsType {
  return {
    TermsId: terms.termsId,
    UserPoolId: terms.poolId,
    ClientId: terms.clientId,
    TermsName: terms.termsName,
    TermsSource: terms.termsSource as TermsType['TermsSource'],
    Enforcement: terms.enforcement as TermsType['Enforcement'],
    Links: { ...terms.links },
    CreationDate: epochSeconds(terms.createdAt),
    LastModifiedDate: epochSeconds(terms.updatedAt),
  };
}

/** The shorter TermsDescriptionType of ListTerms. */
export function toTermsDescriptionType(terms: TermsRecord): TermsDescriptionType {
  return {
    TermsId: terms.termsId,
    TermsName: terms.termsName,
    Enforcement: terms.enforcement as TermsType['Enforcement'],
    CreationDate: epochSeconds(terms.createdAt),
    LastModifiedDate: epochSeconds(terms.updatedAt),
  };
}

/** The error for a terms ID the pool has no document under (Cognate's wording; Cognito's is unpublished). */
export function termsNotFound(termsId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Terms ${termsId} does not exist.`);
}

/**
 * TermsExistsException: "Terms document names must be unique to the app client" (the model's
 * documentation of the error). The wording is Cognate's.
 */
export function termsExist(termsName: string, clientId: string): TermsExistsException {
  return new TermsExistsException(`Terms ${termsName} already exist for app client ${clientId}.`);
}

/** The document, or ResourceNotFoundException naming it. */
export async function requireTerms(services: Services, poolId: string, termsId: string): Promise<TermsRecord> {
  const terms = await services.store.terms.get(poolId, termsId);
  if (!terms) throw termsNotFound(termsId);
  return terms;
}
