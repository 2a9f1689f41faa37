import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { TermsRecord } from '../../../store/ports.js';
import { requireTerms, termsExist, termsNotFound, toTermsType } from './terms-shape.js';

/**
 * UpdateTerms. Every member but the IDs is optional, and one left out keeps its value (unlike
 * UpdateResourceServer): the API reference marks them `Required: No` with no reset rule. Renaming
 * to a name the client's other document has is TermsExistsException, as the model lists it.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateTerms.html
 */
export const updateTerms = defineOperation('UpdateTerms', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const terms = await requireTerms(services, pool.id, input.TermsId);
  const updated: TermsRecord = {
    ...terms,
    termsName: input.TermsName ?? terms.termsName,
    termsSource: input.TermsSource ?? terms.termsSource,
    enforcement: input.Enforcement ?? terms.enforcement,
    links: input.Links ? { ...input.Links } : terms.links,
    updatedAt: services.clock.now(),
  };
  const outcome = await services.store.terms.update(updated);
  if (outcome === 'exists') throw termsExist(updated.termsName, terms.clientId);
  // A delete between the read and the write must not answer with a document that is gone.
  if (outcome === 'missing') throw termsNotFound(input.TermsId);
  return { Terms: toTermsType(updated) };
});
