import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { newUuid } from '../../../lib/ids.js';
import type { TermsRecord } from '../../../store/ports.js';
import { termsExist, toTermsType } from './terms-shape.js';

/**
 * CreateTerms: a terms-of-use or privacy-policy document of one app client, as links by
 * managed-login language (`cognito:default` for every language without its own). A client has at
 * most one document of each name (TermsExistsException); the sign-up page of managed login links
 * to them once the client has both (src/pages/sign-up.ts).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateTerms.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html#managed-login-terms-documents
 */
export const createTerms = defineOperation('CreateTerms', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  const now = services.clock.now();
  const terms: TermsRecord = {
    poolId: pool.id,
    termsId: newUuid(),
    clientId: client.clientId,
    termsName: input.TermsName,
    termsSource: input.TermsSource,
    enforcement: input.Enforcement,
    links: { ...input.Links },
    createdAt: now,
    updatedAt: now,
  };
  // The insert itself decides a race between two creates of one name.
  if (!(await services.store.terms.create(terms))) throw termsExist(input.TermsName, client.clientId);
  return { Terms: toTermsType(terms) };
});
