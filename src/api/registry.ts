import type { OperationName } from '../generated/cognito-idp/operations.js';
import type { OperationName as IdentityOperationName } from '../generated/cognito-identity/operations.js';
import type { OperationName as StsOperationName } from '../generated/sts/operations.js';
import type { OperationName as IamOperationName } from '../generated/iam/operations.js';
import type { OperationName as SyncOperationName } from '../generated/cognito-sync/operations.js';
import type { AnyIamOperation, AnyIdentityOperation, AnyOperation, AnyStsOperation, AnySyncOperation } from './define-operation.js';
import { poolsOperations } from './ops/pools/index.js';
import { clientsOperations } from './ops/clients/index.js';
import { adminusersOperations } from './ops/admin-users/index.js';
import { usersOperations } from './ops/users/index.js';
import { authOperations } from './ops/auth/index.js';
import { groupsOperations } from './ops/groups/index.js';
import { devicesOperations } from './ops/devices/index.js';
import { resourceServersOperations } from './ops/resource-servers/index.js';
import { domainsOperations } from './ops/domains/index.js';
import { identityProvidersOperations } from './ops/identity-providers/index.js';
import { uiCustomizationOperations } from './ops/ui-customization/index.js';
import { managedLoginBrandingOperations } from './ops/managed-login-branding/index.js';
import { webAuthnOperations } from './ops/webauthn/index.js';
import { mfaOperations } from './ops/mfa/index.js';
import { threatProtectionOperations } from './ops/threat-protection/index.js';
import { userImportOperations } from './ops/user-import/index.js';
import { termsOperations } from './ops/terms/index.js';
import { logDeliveryOperations } from './ops/log-delivery/index.js';
import { replicasOperations } from './ops/replicas/index.js';
import { provisionedLimitsOperations } from './ops/provisioned-limits/index.js';
import { identityPoolsOperations } from './ops/identity-pools/index.js';
import { identitiesOperations } from './ops/identities/index.js';
import { stsOperations } from './ops/sts/index.js';
import { iamOperations } from './ops/iam/index.js';
import { syncOperations } from './ops/sync/index.js';

/**
 * The one list of implemented operations, one map per service (each service's descriptor in
 * aws-services.ts holds its map). Every modelled operation is routed by dispatch; the ones missing
 * here answer their service's "not implemented" error naming themselves.
 */
export const implemented: ReadonlyMap<OperationName, AnyOperation> = new Map(
  [
    ...poolsOperations,
    ...clientsOperations,
    ...adminusersOperations,
    ...usersOperations,
    ...authOperations,
    ...groupsOperations,
    ...devicesOperations,
    ...resourceServersOperations,
    ...domainsOperations,
    ...identityProvidersOperations,
    ...uiCustomizationOperations,
    ...managedLoginBrandingOperations,
    ...webAuthnOperations,
    ...mfaOperations,
    ...threatProtectionOperations,
    ...userImportOperations,
    ...termsOperations,
    ...logDeliveryOperations,
    ...replicasOperations,
    ...provisionedLimitsOperations,
  ].map((op) => [op.name, op]),
);

/** Cognito Identity (identity pools). */
export const implementedIdentity: ReadonlyMap<IdentityOperationName, AnyIdentityOperation> = new Map(
  [...identityPoolsOperations, ...identitiesOperations].map((op) => [op.name, op]),
);

/** STS. */
export const implementedSts: ReadonlyMap<StsOperationName, AnyStsOperation> = new Map(stsOperations.map((op) => [op.name, op]));

/** IAM (roles and their policies). */
export const implementedIam: ReadonlyMap<IamOperationName, AnyIamOperation> = new Map(iamOperations.map((op) => [op.name, op]));

/** Cognito Sync. */
export const implementedSync: ReadonlyMap<SyncOperationName, AnySyncOperation> = new Map(syncOperations.map((op) => [op.name, op]));
