import type { AnyOperation } from '../../define-operation.js';
import { createUserPool } from './create-user-pool.js';
import { describeUserPool } from './describe-user-pool.js';
import { updateUserPool } from './update-user-pool.js';
import { deleteUserPool } from './delete-user-pool.js';
import { listUserPools } from './list-user-pools.js';
import { addCustomAttributesOperation } from './add-custom-attributes.js';
import { getSigningCertificate } from './get-signing-certificate.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { listTagsForResource } from './list-tags-for-resource.js';

/** The pools operations, one module each. */
export const poolsOperations: readonly AnyOperation[] = [
  createUserPool,
  describeUserPool,
  updateUserPool,
  deleteUserPool,
  listUserPools,
  addCustomAttributesOperation,
  getSigningCertificate,
  tagResource,
  untagResource,
  listTagsForResource,
];
