import type { AnyOperation } from '../../define-operation.js';
import { initiateAuth } from './initiate-auth.js';
import { adminInitiateAuth } from './admin-initiate-auth.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.js';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.js';

/** The auth operations, one module each. */
export const authOperations: readonly AnyOperation[] = [
  initiateAuth,
  adminInitiateAuth,
  respondToAuthChallenge,
  adminRespondToAuthChallenge,
  getTokensFromRefreshToken,
];
