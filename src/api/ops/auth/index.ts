import type { AnyOperation } from '../../define-operation.js';
import { initiateAuth } from './initiate-auth.js';
import { adminInitiateAuth } from './admin-initiate-auth.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.js';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.js';
import { getUserAuthFactors } from './get-user-auth-factors.js';
import { adminGetUserAuthFactors } from './admin-get-user-auth-factors.js';

/** The auth operations, one module each. */
export const authOperations: readonly AnyOperation[] = [
  initiateAuth,
  adminInitiateAuth,
  respondToAuthChallenge,
  adminRespondToAuthChallenge,
  getTokensFromRefreshToken,
  getUserAuthFactors,
  adminGetUserAuthFactors,
];
