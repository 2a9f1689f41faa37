import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { termsNotFound } from './terms-shape.js';

/**
 * DeleteTerms.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteTerms.html
 */
export const deleteTerms = defineOperation('DeleteTerms', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (!(await services.store.terms.delete(pool.id, input.TermsId))) throw termsNotFound(input.TermsId);
  return {};
});
