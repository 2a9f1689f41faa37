import type { WebAuthnCredentialDescription } from '../../../generated/cognito-idp/shapes.js';
import type { WebAuthnCredentialRecord } from '../../../store/ports.js';
import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { epochSeconds } from '../../../lib/clock.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { MAX_CREDENTIALS_PER_USER } from '../../../auth/webauthn.js';
import { assertMayManagePasskeys } from './passkey-user.js';

function toDescription(credential: WebAuthnCredentialRecord): WebAuthnCredentialDescription {
  return {
    CredentialId: credential.credentialId,
    FriendlyCredentialName: credential.friendlyName,
    RelyingPartyId: credential.rpId,
    ...(credential.attachment !== null ? { AuthenticatorAttachment: credential.attachment } : {}),
    AuthenticatorTransports: credential.transports,
    CreatedAt: epochSeconds(credential.createdAt),
  };
}

/**
 * ListWebAuthnCredentials: the signed-in user's passkeys in credential-ID order, `MaxResults` (at
 * most 20; 0 or none, all of them) at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListWebAuthnCredentials.html
 */
export const listWebAuthnCredentials = defineOperation('ListWebAuthnCredentials', async (input, { services, requestId }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  assertMayManagePasskeys(user);
  const after = decodePageToken(input.NextToken, requestId);
  const size = input.MaxResults === undefined || input.MaxResults === 0 ? MAX_CREDENTIALS_PER_USER : input.MaxResults;
  const rows = await services.store.webAuthnCredentials.listForUser(pool.id, user.usernameKey, size + 1, after);
  const page = slicePage(rows, size, (credential) => credential.credentialId);
  return { Credentials: page.items.map(toDescription), ...(page.next ? { NextToken: page.next } : {}) };
});
