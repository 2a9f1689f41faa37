import type { AnyIdentityOperation } from '../../define-operation.js';
import { createIdentityPool } from './create-identity-pool.js';
import { describeIdentityPool } from './describe-identity-pool.js';
import { updateIdentityPool } from './update-identity-pool.js';
import { deleteIdentityPool } from './delete-identity-pool.js';
import { listIdentityPools } from './list-identity-pools.js';
import { tagIdentityPool } from './tag-resource.js';
import { untagIdentityPool } from './untag-resource.js';
import { listIdentityPoolTags } from './list-tags-for-resource.js';
import { getPrincipalTagAttributeMap } from './get-principal-tag-attribute-map.js';
import { setPrincipalTagAttributeMap } from './set-principal-tag-attribute-map.js';

/** The identity pool operations of Cognito Identity (the pools and their tags), one module each. */
export const identityPoolsOperations: readonly AnyIdentityOperation[] = [
  createIdentityPool,
  describeIdentityPool,
  updateIdentityPool,
  deleteIdentityPool,
  listIdentityPools,
  tagIdentityPool,
  untagIdentityPool,
  listIdentityPoolTags,
  getPrincipalTagAttributeMap,
  setPrincipalTagAttributeMap,
];
