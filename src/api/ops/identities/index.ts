import type { AnyIdentityOperation } from '../../define-operation.js';
import { getId } from './get-id.js';

/** The operations on identities of identity pools (Cognito Identity), one module each. */
export const identitiesOperations: readonly AnyIdentityOperation[] = [getId];
