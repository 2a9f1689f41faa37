import type { AnyOperation } from '../../define-operation.js';
import { createTerms } from './create-terms.js';
import { describeTerms } from './describe-terms.js';
import { updateTerms } from './update-terms.js';
import { deleteTerms } from './delete-terms.js';
import { listTerms } from './list-terms.js';

/** The terms-document operations, one module each. */
export const termsOperations: readonly AnyOperation[] = [createTerms, describeTerms, updateTerms, deleteTerms, listTerms];
