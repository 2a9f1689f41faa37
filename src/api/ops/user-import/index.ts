import type { AnyOperation } from '../../define-operation.js';
import { getCsvHeader } from './get-csv-header.js';

/** The user import operations, one module each. */
export const userImportOperations: readonly AnyOperation[] = [getCsvHeader];
