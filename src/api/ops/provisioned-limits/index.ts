import type { AnyOperation } from '../../define-operation.js';
import { getProvisionedLimit } from './get-provisioned-limit.js';
import { updateProvisionedLimit } from './update-provisioned-limit.js';

/** The provisioned rate limit operations, one module each. */
export const provisionedLimitsOperations: readonly AnyOperation[] = [getProvisionedLimit, updateProvisionedLimit];
