import type { AnyIamOperation } from '../../define-operation.js';

/** The IAM operations, one module each. */
export const iamOperations: readonly AnyIamOperation[] = [];
