import type { AnyStsOperation } from '../../define-operation.js';
import { getCallerIdentity } from './get-caller-identity.js';

/** The STS operations, one module each. */
export const stsOperations: readonly AnyStsOperation[] = [getCallerIdentity];
