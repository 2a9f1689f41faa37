import type { AnyStsOperation } from '../../define-operation.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';

/** The STS operations, one module each. */
export const stsOperations: readonly AnyStsOperation[] = [getCallerIdentity, assumeRoleWithWebIdentity];
