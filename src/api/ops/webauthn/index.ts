import type { AnyOperation } from '../../define-operation.js';
import { startWebAuthnRegistration } from './start-web-authn-registration.js';
import { completeWebAuthnRegistration } from './complete-web-authn-registration.js';
import { listWebAuthnCredentials } from './list-web-authn-credentials.js';
import { deleteWebAuthnCredential } from './delete-web-authn-credential.js';

/** The passkey (WebAuthn) operations of a signed-in user, one module each. */
export const webAuthnOperations: readonly AnyOperation[] = [
  startWebAuthnRegistration,
  completeWebAuthnRegistration,
  listWebAuthnCredentials,
  deleteWebAuthnCredential,
];
